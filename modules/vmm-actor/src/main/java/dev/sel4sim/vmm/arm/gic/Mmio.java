package dev.sel4sim.vmm.arm.gic;

/**
 * Splits guest MMIO accesses of 1, 2, 4 or 8 bytes into accesses to 32-bit registers. An access of
 * another size, misaligned, or outside the window reads as zero and writes nothing.
 */
final class Mmio {

    /** Reads one 32-bit register at a word-aligned offset. */
    @FunctionalInterface
    interface Read32 {
        int read(int offset);
    }

    /**
     * Writes one 32-bit register at a word-aligned offset; {@code mask} has ones over the bytes the guest
     * wrote, and {@code value} is already shifted into place and zero elsewhere.
     */
    @FunctionalInterface
    interface Write32 {
        void write(int offset, int value, int mask);
    }

    private Mmio() {
    }

    static boolean valid(long offset, int size, long window) {
        return (size == 1 || size == 2 || size == 4 || size == 8) && offset >= 0 && offset <= window - size
                && offset % size == 0;
    }

    static long read(long offset, int size, long window, Read32 reg) {
        if (!valid(offset, size, window)) {
            return 0;
        }
        int off = (int) offset;
        return switch (size) {
            case 8 -> (reg.read(off) & 0xFFFF_FFFFL) | ((long) reg.read(off + 4) << 32);
            case 4 -> reg.read(off) & 0xFFFF_FFFFL;
            default -> {
                int shift = (off & 3) * 8;
                long mask = size == 1 ? 0xFFL : 0xFFFFL;
                yield (reg.read(off & ~3) >>> shift) & mask;
            }
        };
    }

    static void write(long offset, int size, long value, long window, Write32 reg) {
        if (!valid(offset, size, window)) {
            return;
        }
        int off = (int) offset;
        switch (size) {
            case 8 -> {
                reg.write(off, (int) value, -1);
                reg.write(off + 4, (int) (value >>> 32), -1);
            }
            case 4 -> reg.write(off, (int) value, -1);
            default -> {
                int shift = (off & 3) * 8;
                int mask = (size == 1 ? 0xFF : 0xFFFF) << shift;
                reg.write(off & ~3, ((int) value << shift) & mask, mask);
            }
        }
    }

    /** @return {@code old} with the bytes under {@code mask} replaced from {@code value} */
    static int merge(int old, int value, int mask) {
        return (old & ~mask) | (value & mask);
    }
}
