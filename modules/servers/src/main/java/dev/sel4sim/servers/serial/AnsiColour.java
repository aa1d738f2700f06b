package dev.sel4sim.servers.serial;

/**
 * The colours a client's prefix can be drawn in, as ANSI SGR codes. The declaration order is the
 * palette handed out round-robin: six plain colours, then their bold forms, so the first six
 * clients are told apart by hue alone.
 */
public enum AnsiColour {
    RED("31"), GREEN("32"), BLUE("34"), MAGENTA("35"), YELLOW("33"), CYAN("36"),
    BOLD_RED("1;31"), BOLD_GREEN("1;32"), BOLD_BLUE("1;34"), BOLD_MAGENTA("1;35"), BOLD_YELLOW("1;33"), BOLD_CYAN("1;36");

    /** Returns the terminal to its default attributes. */
    public static final String RESET = "\u001b[0m";

    private static final AnsiColour[] PALETTE = values();

    private final String sgr;

    AnsiColour(String sgr) {
        this.sgr = sgr;
    }

    /** The escape sequence that switches the terminal to this colour. */
    public String start() {
        return "\u001b[" + sgr + "m";
    }

    /** The {@code n}-th colour of the round-robin palette (wrapping around). */
    public static AnsiColour palette(int n) {
        return PALETTE[Math.floorMod(n, PALETTE.length)];
    }
}
