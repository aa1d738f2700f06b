package dev.sel4sim.vmm.mem;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One region of guest RAM: off-heap memory at a guest-physical base. The same segment is
 * mapped into every VCPU of the VM and handed to devices, so nothing is copied between
 * the CPU back end and the VMM. The memory is an anonymous mapping: pages the guest never
 * touches cost neither time nor host memory.
 */
public final class GuestRam implements AutoCloseable {
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private static final int PROT_READ_WRITE = 3;
    private static final int MAP_PRIVATE_ANONYMOUS_NORESERVE = 0x02 | 0x20 | 0x4000;
    private static final MethodHandle MMAP;
    private static final MethodHandle MUNMAP;

    static {
        Linker linker = Linker.nativeLinker();
        MMAP = linker.downcallHandle(linker.defaultLookup().find("mmap").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
        MUNMAP = linker.downcallHandle(linker.defaultLookup().find("munmap").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    }

    private final long base;
    private final MemorySegment memory;
    private boolean closed;

    /** Allocates {@code size} bytes (page aligned, zeroed) at guest-physical {@code base}. */
    public GuestRam(long base, long size) {
        if ((base & 0xfff) != 0 || (size & 0xfff) != 0 || size <= 0) {
            throw new IllegalArgumentException("guest RAM must be page aligned: base 0x" + Long.toHexString(base)
                    + " size 0x" + Long.toHexString(size));
        }
        this.base = base;
        MemorySegment m;
        try {
            m = (MemorySegment) MMAP.invokeExact(MemorySegment.NULL, size, PROT_READ_WRITE, MAP_PRIVATE_ANONYMOUS_NORESERVE, -1, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        if (m.address() == -1L || m.address() == 0) {
            throw new IllegalStateException("could not map " + (size >> 20) + " MiB of guest RAM");
        }
        this.memory = m.reinterpret(size);
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

    /** Copies a file into guest memory at {@code pa}, without reading it onto the Java heap. */
    public void load(long pa, Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ); Arena a = Arena.ofConfined()) {
            long size = ch.size();
            MemorySegment src = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, a);
            MemorySegment.copy(src, 0, memory, offset(pa, size), size);
        }
    }

    public byte[] read(long pa, int length) {
        byte[] out = new byte[length];
        MemorySegment.copy(memory, ValueLayout.JAVA_BYTE, offset(pa, length), out, 0, length);
        return out;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            try {
                int ignored = (int) MUNMAP.invokeExact(memory, memory.byteSize());
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }
    }
}
