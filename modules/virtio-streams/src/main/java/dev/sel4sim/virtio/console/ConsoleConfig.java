package dev.sel4sim.virtio.console;

/**
 * A console's settings.
 *
 * @param cols         columns reported to the guest
 * @param rows         rows reported to the guest
 * @param outputBuffer guest output elements the stream may hold ahead of its consumer (at least 1)
 */
public record ConsoleConfig(int cols, int rows, int outputBuffer) {
    /** 80x25, 16 elements of output buffering. */
    public static final ConsoleConfig DEFAULT = new ConsoleConfig(80, 25, 16);

    public ConsoleConfig {
        if (cols < 0 || cols > 0xffff || rows < 0 || rows > 0xffff) {
            throw new IllegalArgumentException("console size " + cols + "x" + rows + " does not fit 16 bits");
        }
        if (outputBuffer < 1) {
            throw new IllegalArgumentException("outputBuffer must be at least 1: " + outputBuffer);
        }
    }
}
