package dev.sel4sim.vmm.arm.mmu;

import java.util.OptionalLong;

/** Guest RAM for walker tests: one region of 64-bit words; anything else is not RAM. */
final class Ram implements PhysicalMemory {
    final long base;
    private final long[] words;
    private final boolean bigEndian;

    Ram(long base, int bytes) {
        this(base, bytes, false);
    }

    Ram(long base, int bytes, boolean bigEndian) {
        this.base = base;
        this.words = new long[bytes / 8];
        this.bigEndian = bigEndian;
    }

    /** Writes entry {@code index} of the table at {@code table}. */
    void entry(long table, long index, long descriptor) {
        long address = table + index * 8;
        words[(int) ((address - base) / 8)] = bigEndian ? Long.reverseBytes(descriptor) : descriptor;
    }

    @Override
    public OptionalLong read64(long pa) {
        if (pa < base || pa >= base + words.length * 8L || (pa & 7) != 0) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(words[(int) ((pa - base) / 8)]);
    }
}
