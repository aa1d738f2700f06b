package dev.sel4sim.virtio.mem;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * One range of guest RAM: the memory that backs guest-physical addresses {@code base .. base + size - 1}.
 *
 * @param base    guest-physical address of the segment's first byte
 * @param segment the host memory (normally the VMM's off-heap guest RAM, shared with the CPU back end)
 */
public record GuestRegion(long base, MemorySegment segment) {

    public GuestRegion {
        Objects.requireNonNull(segment, "segment");
        if (base < 0) {
            throw new IllegalArgumentException("region base must not be negative: 0x" + Long.toHexString(base));
        }
        if (segment.byteSize() == 0) {
            throw new IllegalArgumentException("region at 0x" + Long.toHexString(base) + " is empty");
        }
        if (base + segment.byteSize() < base) {
            throw new IllegalArgumentException("region at 0x" + Long.toHexString(base) + " wraps the address space");
        }
    }

    /** @return the region's size in bytes */
    public long size() {
        return segment.byteSize();
    }

    /** @return the first guest-physical address after the region */
    public long end() {
        return base + segment.byteSize();
    }

    /** @return whether {@code [gpa, gpa + length)} lies entirely inside this region */
    public boolean contains(long gpa, long length) {
        return length >= 0 && gpa >= base && gpa - base <= size() - length;
    }

    @Override
    public String toString() {
        return "0x" + Long.toHexString(base) + "-0x" + Long.toHexString(end() - 1);
    }
}
