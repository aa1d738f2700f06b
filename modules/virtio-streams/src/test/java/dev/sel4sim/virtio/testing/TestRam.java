package dev.sel4sim.virtio.testing;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import dev.sel4sim.virtio.mem.GuestMemory;
import dev.sel4sim.virtio.mem.SegmentGuestMemory;

/**
 * Guest RAM for tests, written the way a guest would: raw little-endian stores into the segment, independent of
 * the {@link GuestMemory} code under test. A bump allocator hands out driver structures and buffers.
 */
public final class TestRam implements AutoCloseable {
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Arena arena;
    private final long base;
    private final MemorySegment segment;
    private final GuestMemory memory;
    private long next;

    /** RAM owned by the creating thread only: any access from another thread throws. */
    public static TestRam confined(long base, long size) {
        return new TestRam(Arena.ofConfined(), base, size);
    }

    public static TestRam shared(long base, long size) {
        return new TestRam(Arena.ofShared(), base, size);
    }

    private TestRam(Arena arena, long base, long size) {
        this.arena = arena;
        this.base = base;
        this.segment = arena.allocate(size, 4096);
        this.memory = SegmentGuestMemory.of(base, segment);
        this.next = base;
    }

    public long base() {
        return base;
    }

    public long end() {
        return base + segment.byteSize();
    }

    public MemorySegment segment() {
        return segment;
    }

    public GuestMemory memory() {
        return memory;
    }

    /** @return guest-physical address of {@code size} fresh bytes aligned to {@code align} */
    public long alloc(long size, long align) {
        long at = (next + align - 1) / align * align;
        if (at + size > end()) {
            throw new IllegalStateException("test RAM exhausted");
        }
        next = at + size;
        return at;
    }

    public void put16(long gpa, int v) {
        segment.set(U16, gpa - base, (short) v);
    }

    public void put32(long gpa, long v) {
        segment.set(U32, gpa - base, (int) v);
    }

    public void put64(long gpa, long v) {
        segment.set(U64, gpa - base, v);
    }

    public int get16(long gpa) {
        return Short.toUnsignedInt(segment.get(U16, gpa - base));
    }

    public long get32(long gpa) {
        return Integer.toUnsignedLong(segment.get(U32, gpa - base));
    }

    public void putBytes(long gpa, byte[] data) {
        MemorySegment.copy(data, 0, segment, ValueLayout.JAVA_BYTE, gpa - base, data.length);
    }

    public byte[] getBytes(long gpa, int length) {
        byte[] out = new byte[length];
        MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, gpa - base, out, 0, length);
        return out;
    }

    @Override
    public void close() {
        arena.close();
    }
}
