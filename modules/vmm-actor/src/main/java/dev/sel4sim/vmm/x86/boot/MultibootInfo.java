package dev.sel4sim.vmm.x86.boot;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Lays out the Multiboot information structure (specification 0.6.96, section 3.3) and the data it
 * points to in one block of memory: the 116-byte structure, the command line, the memory map, the
 * module list with the modules' command lines, and the boot loader's name.
 */
public final class MultibootInfo {
    public static final int FLAG_MEMORY = 1;
    public static final int FLAG_CMDLINE = 1 << 2;
    public static final int FLAG_MODS = 1 << 3;
    public static final int FLAG_MMAP = 1 << 6;
    public static final int FLAG_LOADER_NAME = 1 << 9;
    public static final int FLAG_FRAMEBUFFER = 1 << 12;
    public static final int INFO_SIZE = 116;
    /** Memory map entry type of usable RAM. */
    public static final int MMAP_AVAILABLE = 1;
    public static final int MMAP_RESERVED = 2;
    /** EGA text mode as the framebuffer: 80x25 cells of 2 bytes at the VGA text buffer. */
    public static final long TEXT_BUFFER = 0xb8000;
    private static final int FRAMEBUFFER_TYPE_EGA_TEXT = 2;

    private MultibootInfo() {
    }

    /** A module as the kernel will find it: where its bytes were loaded. */
    public record PlacedModule(long start, long end, String cmdline) {
    }

    /**
     * Builds the block to be loaded at {@code base}.
     *
     * @param textFramebuffer whether to describe the EGA text screen (the kernel's header asked for video information)
     */
    public static byte[] build(long base, MultibootConfig config, List<PlacedModule> modules, boolean textFramebuffer) {
        byte[] cmdline = cString(config.cmdline());
        byte[] name = cString(config.bootLoaderName());
        int mmapEntries = 3;
        int mmapSize = mmapEntries * 24;
        int cmdlineAt = INFO_SIZE + 12; // keep the strings 8-byte aligned after the structure
        int mmapAt = align8(cmdlineAt + cmdline.length);
        int modsAt = align8(mmapAt + mmapSize);
        int modStringsAt = modsAt + 16 * modules.size();
        int size = modStringsAt;
        for (PlacedModule m : modules) {
            size += cString(m.cmdline()).length;
        }
        int nameAt = size;
        size += name.length;
        ByteBuffer b = ByteBuffer.allocate(align8(size)).order(ByteOrder.LITTLE_ENDIAN);

        int flags = FLAG_MEMORY | FLAG_CMDLINE | FLAG_MMAP | FLAG_LOADER_NAME;
        b.putInt(4, config.lowerKiB());
        b.putInt(8, (int) config.upperKiB());
        b.putInt(16, (int) (base + cmdlineAt));
        b.put(cmdlineAt, cmdline);
        if (!modules.isEmpty()) {
            flags |= FLAG_MODS;
            b.putInt(20, modules.size());
            b.putInt(24, (int) (base + modsAt));
            int stringAt = modStringsAt;
            for (int i = 0; i < modules.size(); i++) {
                PlacedModule m = modules.get(i);
                byte[] s = cString(m.cmdline());
                int at = modsAt + 16 * i;
                b.putInt(at, (int) m.start());
                b.putInt(at + 4, (int) m.end());
                b.putInt(at + 8, (int) (base + stringAt));
                b.put(stringAt, s);
                stringAt += s.length;
            }
        }
        b.putInt(44, mmapSize);
        b.putInt(48, (int) (base + mmapAt));
        // Each entry's size field counts the 20 bytes after it.
        long[][] map = {
                {0, config.lowerKiB() * 1024L, MMAP_AVAILABLE},
                {config.lowerKiB() * 1024L, 0x10_0000L - config.lowerKiB() * 1024L, MMAP_RESERVED},
                {0x10_0000L, config.upperKiB() * 1024L, MMAP_AVAILABLE}};
        for (int i = 0; i < map.length; i++) {
            int at = mmapAt + 24 * i;
            b.putInt(at, 20);
            b.putLong(at + 4, map[i][0]);
            b.putLong(at + 12, map[i][1]);
            b.putInt(at + 20, (int) map[i][2]);
        }
        b.putInt(64, (int) (base + nameAt));
        b.put(nameAt, name);
        if (textFramebuffer) {
            flags |= FLAG_FRAMEBUFFER;
            b.putLong(88, TEXT_BUFFER);
            b.putInt(96, 160);
            b.putInt(100, 80);
            b.putInt(104, 25);
            b.put(108, (byte) 16);
            b.put(109, (byte) FRAMEBUFFER_TYPE_EGA_TEXT);
        }
        b.putInt(0, flags);
        return b.array();
    }

    private static byte[] cString(String s) {
        byte[] text = s.getBytes(StandardCharsets.ISO_8859_1);
        byte[] z = new byte[text.length + 1];
        System.arraycopy(text, 0, z, 0, text.length);
        return z;
    }

    private static int align8(int v) {
        return (v + 7) & ~7;
    }
}
