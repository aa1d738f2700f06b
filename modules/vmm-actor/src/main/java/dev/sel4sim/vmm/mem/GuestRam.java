package dev.sel4sim.vmm.mem;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * One region of guest RAM: off-heap memory at a guest-physical base. The same segment is
 * mapped into every VCPU of the VM and handed to devices, so nothing is copied between
 * the CPU back end and the VMM.
 */
public final class GuestRam implements AutoCloseable {
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final long base;
    private final Arena arena;
    private final MemorySegment memory;

    /** Allocates {@code size} bytes (page aligned, zeroed) at guest-physical {@code base}. */
    public GuestRam(long base, long size) {
        if ((base & 0xfff) != 0 || (size & 0xfff) != 0 || size <= 0) {
            throw new IllegalArgumentException("guest RAM must be page aligned: base 0x" + Long.toHexString(base)
                    + " size 0x" + Long.toHexString(size));
        }
        this.base = base;
        this.arena = Arena.ofShared();
        this.memory = arena.allocate(size, 1 << 21);
    }

    public long base() {
        return base;
    }

    public long size() {
        return memory.byteSize();
    }

    public long end() {
        return base + memory.byteSize();
    }

    public MemorySegment segment() {
        return memory;
    }

    public boolean contains(long pa, long length) {
        return pa >= base && length >= 0 && pa - base <= memory.byteSize() - length;
    }

    private long offset(long pa, long length) {
        if (!contains(pa, length)) {
            throw new IndexOutOfBoundsException("guest-physical 0x" + Long.toHexString(pa) + "+" + length
                    + " is outside RAM 0x" + Long.toHexString(base) + "-0x" + Long.toHexString(end()));
        }
        return pa - base;
    }

    public long read64(long pa) {
        return memory.get(U64, offset(pa, 8));
    }

    public int read32(long pa) {
        return memory.get(U32, offset(pa, 4));
    }

    public void write64(long pa, long value) {
        memory.set(U64, offset(pa, 8), value);
    }

    public void write32(long pa, int value) {
        memory.set(U32, offset(pa, 4), value);
    }

    /** Copies {@code data} into guest memory at {@code pa}. */
    public void load(long pa, byte[] data) {
        MemorySegment.copy(data, 0, memory, ValueLayout.JAVA_BYTE, offset(pa, data.length), data.length);
    }

    public byte[] read(long pa, int length) {
        byte[] out = new byte[length];
        MemorySegment.copy(memory, ValueLayout.JAVA_BYTE, offset(pa, length), out, 0, length);
        return out;
    }

    @Override
    public void close() {
        arena.close();
    }
}
