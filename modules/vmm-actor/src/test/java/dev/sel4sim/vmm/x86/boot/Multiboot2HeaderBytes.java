package dev.sel4sim.vmm.x86.boot;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Writes Multiboot 2 headers for tests: the magic fields, the tags given, an end tag and the checksum. */
public final class Multiboot2HeaderBytes {
    private final ByteArrayOutputStream tags = new ByteArrayOutputStream();
    private int architecture = Multiboot2Header.ARCH_I386;
    private int checksumError;

    public Multiboot2HeaderBytes architecture(int value) {
        architecture = value;
        return this;
    }

    /** Makes the checksum wrong by {@code delta}. */
    public Multiboot2HeaderBytes checksumOffBy(int delta) {
        checksumError = delta;
        return this;
    }

    /** A tag with u32 fields, padded to 8 bytes. */
    public Multiboot2HeaderBytes tag(int type, int flags, int... fields) {
        int size = 8 + 4 * fields.length;
        ByteBuffer t = ByteBuffer.allocate((size + 7) & ~7).order(ByteOrder.LITTLE_ENDIAN);
        t.putShort((short) type).putShort((short) flags).putInt(size);
        for (int f : fields) {
            t.putInt(f);
        }
        tags.writeBytes(t.array());
        return this;
    }

    /** The address tag (type 2). */
    public Multiboot2HeaderBytes address(long headerAddr, long loadAddr, long loadEndAddr, long bssEndAddr) {
        return tag(Multiboot2Header.TAG_ADDRESS, 0, (int) headerAddr, (int) loadAddr, (int) loadEndAddr, (int) bssEndAddr);
    }

    /** The entry address tag (type 3). */
    public Multiboot2HeaderBytes entry(long entryAddr) {
        return tag(Multiboot2Header.TAG_ENTRY_ADDRESS, 0, (int) entryAddr);
    }

    public byte[] bytes() {
        byte[] t = tags.toByteArray();
        int length = 16 + t.length + 8;
        ByteBuffer h = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(Multiboot2Header.MAGIC).putInt(architecture).putInt(length)
                .putInt(-(Multiboot2Header.MAGIC + architecture + length) + checksumError);
        h.put(t);
        h.putShort((short) Multiboot2Header.TAG_END).putShort((short) 0).putInt(8);
        return h.array();
    }

    /** A file of {@code size} zero bytes with this header at {@code at}. */
    public byte[] inFile(int size, int at) {
        byte[] file = new byte[size];
        byte[] h = bytes();
        System.arraycopy(h, 0, file, at, h.length);
        return file;
    }
}
