package dev.sel4sim.vmm.arm.dt;

/**
 * Where the initial RAM disk lies in guest physical memory: {@code linux,initrd-start} and
 * {@code linux,initrd-end} (exclusive) of {@code /chosen}.
 *
 * @param start first byte
 * @param end   first byte after it
 */
public record InitrdRange(long start, long end) {

    /** Checks the range is non-negative and in order. */
    public InitrdRange {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("initrd range [0x" + Long.toHexString(start) + ", 0x"
                    + Long.toHexString(end) + ") is not a range");
        }
    }
}
