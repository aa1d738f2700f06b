package dev.sel4sim.vmm.x86.boot;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Lays out the Multiboot 2 boot information (specification 2.0, section 3.6): total_size and a
 * reserved word, then 8-byte aligned tags, each a type, its size without padding, and its fields,
 * up to an end tag. Unlike Multiboot 1's structure it holds everything itself: no pointers.
 */
public final class Multiboot2Info {
    public static final int TAG_END = 0;
    public static final int TAG_CMDLINE = 1;
    public static final int TAG_BOOT_LOADER_NAME = 2;
    public static final int TAG_MODULE = 3;
    public static final int TAG_BASIC_MEMINFO = 4;
    public static final int TAG_MMAP = 6;
    public static final int TAG_FRAMEBUFFER = 8;
    /** Each memory map entry: base_addr u64, length u64, type u32, reserved u32. */
    public static final int MMAP_ENTRY_SIZE = 24;
    public static final int MMAP_AVAILABLE = 1;
    public static final int MMAP_RESERVED = 2;
    public static final int FRAMEBUFFER_TYPE_EGA_TEXT = 2;

    private Multiboot2Info() {
    }

    /**
     * Builds the information for a kernel: its command line, the loader's name, the modules where
     * they were loaded, lower and upper memory, the memory map Multiboot 1 gives too, and the EGA
     * text screen as the framebuffer (as GRUB describes a text console).
     */
    public static byte[] build(MultibootConfig config, List<MultibootInfo.PlacedModule> modules) {
        Tags t = new Tags();
        t.add(TAG_CMDLINE, cString(config.cmdline()));
        t.add(TAG_BOOT_LOADER_NAME, cString(config.bootLoaderName()));
        for (MultibootInfo.PlacedModule m : modules) {
            byte[] s = cString(m.cmdline());
            t.add(TAG_MODULE, fields(8 + s.length).putInt((int) m.start()).putInt((int) m.end()).put(s));
        }
        t.add(TAG_BASIC_MEMINFO, fields(8).putInt(config.lowerKiB()).putInt((int) config.upperKiB()));
        long lower = config.lowerKiB() * 1024L;
        long[][] map = {
                {0, lower, MMAP_AVAILABLE},
                {lower, 0x10_0000L - lower, MMAP_RESERVED},
                {0x10_0000L, config.upperKiB() * 1024L, MMAP_AVAILABLE}};
        ByteBuffer mmap = fields(8 + MMAP_ENTRY_SIZE * map.length).putInt(MMAP_ENTRY_SIZE).putInt(0);
        for (long[] e : map) {
            mmap.putLong(e[0]).putLong(e[1]).putInt((int) e[2]).putInt(0);
        }
        t.add(TAG_MMAP, mmap);
        // EGA text: width and height in characters, two bytes a cell.
        t.add(TAG_FRAMEBUFFER, fields(24).putLong(MultibootInfo.TEXT_BUFFER).putInt(160).putInt(80).putInt(25)
                .put((byte) 16).put((byte) FRAMEBUFFER_TYPE_EGA_TEXT).putShort((short) 0));
        t.add(TAG_END, new byte[0]);
        return t.finish();
    }

    /** The tags after the fixed part, each padded to 8 bytes; the fixed part's total_size filled in at the end. */
    private static final class Tags {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Tags() {
            out.writeBytes(new byte[8]);
        }

        void add(int type, ByteBuffer fields) {
            add(type, fields.array());
        }

        void add(int type, byte[] fields) {
            int size = 8 + fields.length;
            out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(type).putInt(size).array());
            out.writeBytes(fields);
            out.writeBytes(new byte[align8(size) - size]);
        }

        byte[] finish() {
            byte[] all = out.toByteArray();
            ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN).putInt(0, all.length);
            return all;
        }
    }

    private static ByteBuffer fields(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Multiboot 2's strings are zero-terminated UTF-8. */
    private static byte[] cString(String s) {
        byte[] text = s.getBytes(StandardCharsets.UTF_8);
        byte[] z = new byte[text.length + 1];
        System.arraycopy(text, 0, z, 0, text.length);
        return z;
    }

    private static int align8(int v) {
        return (v + 7) & ~7;
    }
}
