package dev.sel4sim.servers.serial;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Turns client output into screen bytes, line by line: each screen line starts with its client's
 * prefix; output from another client in the middle of a line ends that line on the screen, and the
 * interrupted client's text resumes on a fresh prefixed line.
 */
final class ScreenWriter {
    private final MuxSettings settings;
    private final byte[] lineEnd;
    /** The client whose line is open on the screen (its prefix printed, no line end yet), or null. */
    private ClientLine owner;

    ScreenWriter(MuxSettings settings) {
        this.settings = settings;
        this.lineEnd = settings.lineEnd().getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Linux consoles end lines with CR LF (the tty's ONLCR), and sometimes CR CR LF; any run of
     * CRs before an LF is one line end. A CR followed by anything else returns within the line
     * (progress meters redraw this way), so the prefix is drawn again after it.
     */
    byte[] write(ClientLine c, byte[] data, int off, int len) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(len + 32);
        for (int i = off; i < off + len; i++) {
            byte b = data[i];
            if (b == '\r') {
                c.pendingCr++;
            } else if (b == '\n') {
                c.pendingCr = 0;
                if (owner == c) {
                    out.writeBytes(lineEnd);
                    owner = null;
                } else if (!c.midLine) {
                    endOpenLine(out);
                    prefix(out, c);
                    out.writeBytes(lineEnd);
                }
                // else: an interruption already ended this client's line on the screen.
                c.midLine = false;
            } else {
                boolean opened = openLine(out, c);
                if (c.pendingCr > 0) {
                    c.pendingCr = 0;
                    if (!opened) {
                        out.write('\r');
                        prefix(out, c);
                    }
                }
                out.write(b);
                c.midLine = true;
            }
        }
        return out.toByteArray();
    }

    /** A line of the multiplexer's own (a focus switch, help), on a line of its own. */
    byte[] notice(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        endOpenLine(out);
        if (settings.colour()) {
            out.writeBytes(AnsiColour.RESET.getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(lineEnd);
        return out.toByteArray();
    }

    /** Ends the open line, if any, so that whatever comes next starts on a fresh line. */
    byte[] finish() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        endOpenLine(out);
        return out.toByteArray();
    }

    private boolean openLine(ByteArrayOutputStream out, ClientLine c) {
        if (owner == c) {
            return false;
        }
        endOpenLine(out);
        prefix(out, c);
        owner = c;
        return true;
    }

    private void endOpenLine(ByteArrayOutputStream out) {
        if (owner != null) {
            out.writeBytes(lineEnd);
            owner = null;
        }
    }

    private void prefix(ByteArrayOutputStream out, ClientLine c) {
        SerialClient s = c.client;
        // The reset after the prefix also clears attributes another client's text left set.
        String p = settings.colour() ? s.colour().start() + s.prefix() + AnsiColour.RESET : s.prefix();
        out.writeBytes(p.getBytes(StandardCharsets.UTF_8));
    }
}
