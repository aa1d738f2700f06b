package dev.sel4sim.boards;

/**
 * A board file is wrong: the message names the resource, the line, the setting and what was expected,
 * e.g. {@code boards/zcu102.conf:42: uarts[1].irq: expected an INTID below physical-irq-count (188), got 300}.
 */
public final class BoardConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String resource;
    private final int line;
    private final String setting;

    /**
     * @param resource the board file (resource name or origin description)
     * @param line     the line number, or -1 if unknown
     * @param setting  the setting's path, e.g. {@code "uarts[1].irq"}; empty for the whole file
     * @param problem  what is wrong and what would be right
     * @param cause    the underlying exception, or null
     */
    public BoardConfigException(String resource, int line, String setting, String problem, Throwable cause) {
        super(resource + (line > 0 ? ":" + line : "") + ": " + (setting.isEmpty() ? "" : setting + ": ") + problem,
                cause);
        this.resource = resource;
        this.line = line;
        this.setting = setting;
    }

    /** @return the board file */
    public String resource() {
        return resource;
    }

    /** @return the line number, or -1 if unknown */
    public int line() {
        return line;
    }

    /** @return the setting's path; empty for the whole file */
    public String setting() {
        return setting;
    }
}
