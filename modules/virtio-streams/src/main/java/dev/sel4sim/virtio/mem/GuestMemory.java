package dev.sel4sim.virtio.mem;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Guest RAM as a device sees it: bounds-checked little-endian access by guest-physical address. Every access
 * outside RAM (or straddling two separate RAM regions) throws {@link GuestMemoryException}; nothing wraps or
 * silently truncates.
 *
 * <p>Not thread-safe by itself: the guest's VCPUs write the same memory, so callers keep every access on the
 * thread that owns the VM (see the package documentation of {@code dev.sel4sim.virtio}).
 */
public interface GuestMemory {
    /** Little-endian, unaligned layouts: virtio structures are little-endian and guests may misalign them. */
    ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** @return whether {@code [gpa, gpa + length)} is RAM, inside one region */
    boolean contains(long gpa, long length);

    /**
     * The memory behind {@code [gpa, gpa + length)} without copying: writes to the slice are writes to guest RAM.
     *
     * @throws GuestMemoryException if the range is not inside one RAM region
     */
    MemorySegment slice(long gpa, long length);

    /** @return the unsigned byte at {@code gpa} */
    default int readU8(long gpa) {
        return Byte.toUnsignedInt(slice(gpa, 1).get(ValueLayout.JAVA_BYTE, 0));
    }

    /** @return the unsigned little-endian 16-bit value at {@code gpa} */
    default int readU16(long gpa) {
        return Short.toUnsignedInt(slice(gpa, 2).get(U16, 0));
    }

    /** @return the unsigned little-endian 32-bit value at {@code gpa} */
    default long readU32(long gpa) {
        return Integer.toUnsignedLong(slice(gpa, 4).get(U32, 0));
    }

    /** @return the little-endian 64-bit value at {@code gpa} */
    default long readU64(long gpa) {
        return slice(gpa, 8).get(U64, 0);
    }

    /** Writes the low 8 bits of {@code value}. */
    default void writeU8(long gpa, int value) {
        slice(gpa, 1).set(ValueLayout.JAVA_BYTE, 0, (byte) value);
    }

    /** Writes the low 16 bits of {@code value}, little-endian. */
    default void writeU16(long gpa, int value) {
        slice(gpa, 2).set(U16, 0, (short) value);
    }

    /** Writes the low 32 bits of {@code value}, little-endian. */
    default void writeU32(long gpa, long value) {
        slice(gpa, 4).set(U32, 0, (int) value);
    }

    /** Writes {@code value}, little-endian. */
    default void writeU64(long gpa, long value) {
        slice(gpa, 8).set(U64, 0, value);
    }

    /** Copies {@code length} bytes from guest memory at {@code gpa} into {@code dst[offset..]}. */
    default void read(long gpa, byte[] dst, int offset, int length) {
        MemorySegment.copy(slice(gpa, length), ValueLayout.JAVA_BYTE, 0, dst, offset, length);
    }

    /** @return a new array holding {@code length} bytes of guest memory at {@code gpa} */
    default byte[] read(long gpa, int length) {
        byte[] out = new byte[length];
        read(gpa, out, 0, length);
        return out;
    }

    /** Copies {@code src[offset .. offset + length)} into guest memory at {@code gpa}. */
    default void write(long gpa, byte[] src, int offset, int length) {
        MemorySegment.copy(src, offset, slice(gpa, length), ValueLayout.JAVA_BYTE, 0, length);
    }

    /** Copies all of {@code src} into guest memory at {@code gpa}. */
    default void write(long gpa, byte[] src) {
        write(gpa, src, 0, src.length);
    }

    /** Fills {@code dst} from its position to its limit with guest memory at {@code gpa}; advances its position. */
    default void read(long gpa, ByteBuffer dst) {
        int n = dst.remaining();
        MemorySegment source = slice(gpa, n);
        MemorySegment.ofBuffer(dst).copyFrom(source);
        dst.position(dst.position() + n);
    }

    /** Copies {@code src} from its position to its limit into guest memory at {@code gpa}; advances its position. */
    default void write(long gpa, ByteBuffer src) {
        int n = src.remaining();
        slice(gpa, n).copyFrom(MemorySegment.ofBuffer(src));
        src.position(src.position() + n);
    }
}
