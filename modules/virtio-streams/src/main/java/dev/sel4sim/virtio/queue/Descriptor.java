package dev.sel4sim.virtio.queue;

import dev.sel4sim.virtio.mem.GuestMemory;

/**
 * One 16-byte entry of a descriptor table, as the driver wrote it (nothing checked yet).
 *
 * @param addr   buffer (or indirect table) guest-physical address
 * @param length buffer length in bytes (an unsigned 32-bit value)
 * @param flags  {@link #NEXT}, {@link #WRITE}, {@link #INDIRECT}
 * @param next   index of the next descriptor when {@link #NEXT} is set
 */
record Descriptor(long addr, long length, int flags, int next) {
    static final int BYTES = 16;
    static final int NEXT = 1;
    static final int WRITE = 2;
    static final int INDIRECT = 4;

    static Descriptor read(GuestMemory memory, long gpa) {
        return new Descriptor(memory.readU64(gpa), memory.readU32(gpa + 8), memory.readU16(gpa + 12),
                memory.readU16(gpa + 14));
    }

    boolean has(int flag) {
        return (flags & flag) != 0;
    }

    @Override
    public String toString() {
        return "{addr 0x" + Long.toHexString(addr) + ", len " + length + ", flags 0x" + Integer.toHexString(flags)
                + ", next " + next + "}";
    }
}
