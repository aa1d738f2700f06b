package dev.sel4sim.servers.serial;

/**
 * How the serial multiplexer talks to the host terminal.
 *
 * @param escape                the input escape byte (0..255); escape + digit selects a client,
 *                              escape twice sends it literally
 * @param colour                draw client prefixes in ANSI colour (off for logs, pipes and tests)
 * @param lineEnd               what ends a line on the screen: {@code "\n"} for cooked terminals
 *                              and files, {@code "\r\n"} for a terminal in raw mode
 * @param escapeAtLineStartOnly recognise the escape only as the first key of an input line, so
 *                              that typing it inside text (an e-mail address, say) needs no
 *                              doubling
 */
public record MuxSettings(int escape, boolean colour, String lineEnd, boolean escapeAtLineStartOnly) {
    /** The escape byte when none is configured: {@code @}, as the camkes SerialServer has. */
    public static final int DEFAULT_ESCAPE = '@';

    public MuxSettings {
        if (escape < 0 || escape > 0xff) {
            throw new IllegalArgumentException("escape must be one byte (0..255), got " + escape);
        }
        if (escape == '\r' || escape == '\n' || (escape >= '0' && escape <= '9')) {
            throw new IllegalArgumentException("escape cannot be CR, LF or a digit, got " + describe(escape));
        }
        if (!lineEnd.equals("\n") && !lineEnd.equals("\r\n")) {
            throw new IllegalArgumentException("lineEnd must be \"\\n\" or \"\\r\\n\", got " + lineEnd.chars().mapToObj(MuxSettings::describe).toList());
        }
    }

    /** A terminal in raw mode: colour, CR LF line ends, escape {@code @} at line start. */
    public static MuxSettings terminal() {
        return new MuxSettings(DEFAULT_ESCAPE, true, "\r\n", true);
    }

    /** Plain text (a file, a pipe, a test): no colour, LF line ends, escape {@code @} at line start. */
    public static MuxSettings plain() {
        return new MuxSettings(DEFAULT_ESCAPE, false, "\n", true);
    }

    public MuxSettings withEscape(int e) {
        return new MuxSettings(e, colour, lineEnd, escapeAtLineStartOnly);
    }

    public MuxSettings withColour(boolean c) {
        return new MuxSettings(escape, c, lineEnd, escapeAtLineStartOnly);
    }

    public MuxSettings withEscapeAnywhere() {
        return new MuxSettings(escape, colour, lineEnd, false);
    }

    /**
     * Reads an escape as a system description writes it: one character ({@code "@"}, {@code "~"})
     * or a control key in caret notation ({@code "^A"} .. {@code "^_"}, {@code "^]"}).
     */
    public static int parseEscape(String text) {
        if (text.length() == 1 && text.charAt(0) < 0x100) {
            return text.charAt(0);
        }
        if (text.length() == 2 && text.charAt(0) == '^') {
            char c = Character.toUpperCase(text.charAt(1));
            if (c >= '@' && c <= '_') {
                return c - '@';
            }
        }
        throw new IllegalArgumentException("escape '" + text + "' is neither one character nor a control key like ^A or ^]");
    }

    static String describe(int b) {
        return b < 0x20 || b == 0x7f ? String.format("0x%02x", b) : "'" + (char) b + "'";
    }
}
