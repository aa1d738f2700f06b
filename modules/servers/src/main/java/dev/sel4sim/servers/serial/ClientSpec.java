package dev.sel4sim.servers.serial;

/**
 * A client of the serial multiplexer as the system description gives it.
 *
 * @param name   unique among the multiplexer's clients
 * @param prefix what begins each of its lines on the screen; {@code null} for {@code "[name] "}
 * @param colour its prefix colour; {@code null} for the next one of the round-robin palette
 * @param input  whether it takes keystrokes (a VM console does; a native component that only
 *               prints does not, and gets no number in the focus escape)
 */
public record ClientSpec(String name, String prefix, AnsiColour colour, boolean input) {
    public ClientSpec {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a serial client needs a non-blank name");
        }
        if (prefix != null && (prefix.indexOf('\n') >= 0 || prefix.indexOf('\r') >= 0)) {
            throw new IllegalArgumentException("prefix of serial client '" + name + "' contains a line break");
        }
    }

    /** A client that prints and takes input, with the default prefix and the next colour. */
    public static ClientSpec of(String name) {
        return new ClientSpec(name, null, null, true);
    }

    /** A client that only prints (a native component on the IPC path). */
    public static ClientSpec outputOnly(String name) {
        return new ClientSpec(name, null, null, false);
    }

    public ClientSpec withPrefix(String p) {
        return new ClientSpec(name, p, colour, input);
    }

    public ClientSpec withColour(AnsiColour c) {
        return new ClientSpec(name, prefix, c, input);
    }
}
