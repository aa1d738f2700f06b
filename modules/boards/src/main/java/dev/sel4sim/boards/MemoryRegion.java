package dev.sel4sim.boards;

/**
 * A physical address range {@code [base, base + size)}: a RAM bank or a device's register window.
 *
 * @param base first byte address
 * @param size length in bytes, greater than zero
 */
public record MemoryRegion(long base, long size) {

    /** Checks the range is non-empty, non-negative and does not wrap. */
    public MemoryRegion {
        if (base < 0) {
            throw new IllegalArgumentException("base must not be negative: " + base);
        }
        if (size <= 0) {
            throw new IllegalArgumentException("size must be greater than zero: " + size);
        }
        Math.addExact(base, size);
    }

    /** @return the first address after the region (exclusive end) */
    public long end() {
        return base + size;
    }

    /** @return the last address inside the region (inclusive) */
    public long last() {
        return base + size - 1;
    }

    /**
     * @param address a physical address
     * @return true if the address lies inside this region
     */
    public boolean contains(long address) {
        return address >= base && address < end();
    }

    /**
     * @param other another region
     * @return true if every byte of {@code other} lies inside this region
     */
    public boolean contains(MemoryRegion other) {
        return other.base >= base && other.end() <= end();
    }

    /**
     * @param other another region
     * @return true if the two regions share at least one byte
     */
    public boolean overlaps(MemoryRegion other) {
        return base < other.end() && other.base < end();
    }

    @Override
    public String toString() {
        return "[" + Sizes.hex(base) + ", " + Sizes.hex(end()) + ")";
    }
}
