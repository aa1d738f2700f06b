package dev.sel4sim.vmm.x86.boot;

import dev.sel4sim.vmm.boot.BootImageException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The Multiboot 1 header of a kernel image (Multiboot specification 0.6.96, section 3.1): found at a
 * 4-byte aligned offset in the first 8 KiB, with magic 0x1BADB002 and a checksum that makes magic,
 * flags and checksum sum to zero.
 *
 * @param fileOffset  where the header starts in the file
 * @param flags       the kernel's requirements (bits 0-15) and optional features (16-31)
 * @param headerAddr  with flag 16: the physical address the header's magic is loaded at
 * @param loadAddr    with flag 16: the physical address of the start of the text segment
 * @param loadEndAddr with flag 16: the end of the data segment (0: the rest of the file)
 * @param bssEndAddr  with flag 16: the end of the bss (0: no bss)
 * @param entryAddr   with flag 16: the entry point
 * @param modeType    with flag 2: the preferred video mode (0 linear graphics, 1 EGA text)
 * @param width       with flag 2: preferred columns or pixels (0: no preference)
 * @param height      with flag 2: preferred lines or pixels
 * @param depth       with flag 2: preferred bits per pixel
 */
public record MultibootHeader(int fileOffset, int flags, long headerAddr, long loadAddr, long loadEndAddr, long bssEndAddr,
                              long entryAddr, int modeType, int width, int height, int depth) {
    public static final int MAGIC = 0x1badb002;
    /** The value a Multiboot loader leaves in EAX. */
    public static final int BOOTLOADER_MAGIC = 0x2badb002;
    /** How far into the file the header may start. */
    public static final int SEARCH_LIMIT = 8192;
    public static final int PAGE_ALIGN = 1;
    public static final int MEMORY_INFO = 1 << 1;
    public static final int VIDEO_MODE = 1 << 2;
    public static final int AOUT_KLUDGE = 1 << 16;
    /** The requirement bits this loader fulfils; any other bit in 0-15 makes it refuse the image. */
    private static final int UNDERSTOOD_REQUIREMENTS = PAGE_ALIGN | MEMORY_INFO | VIDEO_MODE;

    /** True when the address fields (flag 16) say where to load, instead of the ELF headers. */
    public boolean aoutKludge() {
        return (flags & AOUT_KLUDGE) != 0;
    }

    public boolean wantsVideoInfo() {
        return (flags & VIDEO_MODE) != 0;
    }

    /**
     * Finds and checks the header.
     *
     * @throws BootImageException when there is none, its checksum is wrong, it asks for something this
     *                            loader cannot give, or its address fields are inconsistent
     */
    public static MultibootHeader find(byte[] file) throws BootImageException {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int end = Math.min(file.length, SEARCH_LIMIT);
        String badChecksum = null;
        for (int at = 0; at + 12 <= end; at += 4) {
            if (b.getInt(at) != MAGIC) {
                continue;
            }
            int flags = b.getInt(at + 4);
            int checksum = b.getInt(at + 8);
            if (MAGIC + flags + checksum != 0) {
                if (badChecksum == null) {
                    badChecksum = String.format("magic 0x1BADB002 at offset 0x%x, but the checksum 0x%08x does not make magic + flags"
                            + " (0x%08x) + checksum zero", at, checksum, flags);
                }
                continue;
            }
            return parseAt(b, at, flags, file.length);
        }
        if (badChecksum != null) {
            throw new BootImageException("no valid Multiboot header: " + badChecksum);
        }
        throw new BootImageException("no Multiboot header (magic 0x1BADB002 at a 4-byte boundary) in the first "
                + end + " bytes: not a Multiboot 1 kernel");
    }

    private static MultibootHeader parseAt(ByteBuffer b, int at, int flags, int fileLength) throws BootImageException {
        int unknown = flags & 0xffff & ~UNDERSTOOD_REQUIREMENTS;
        if (unknown != 0) {
            throw new BootImageException(String.format("the Multiboot header at 0x%x requires features 0x%04x this loader does"
                    + " not provide (it knows bits 0-2)", at, unknown));
        }
        long headerAddr = 0;
        long loadAddr = 0;
        long loadEnd = 0;
        long bssEnd = 0;
        long entry = 0;
        if ((flags & AOUT_KLUDGE) != 0) {
            if (at + 32 > fileLength) {
                throw new BootImageException(String.format("the Multiboot header at 0x%x sets flag 16 but the file ends before its"
                        + " address fields", at));
            }
            headerAddr = u32(b, at + 12);
            loadAddr = u32(b, at + 16);
            loadEnd = u32(b, at + 20);
            bssEnd = u32(b, at + 24);
            entry = u32(b, at + 28);
            checkAddresses(at, headerAddr, loadAddr, loadEnd, bssEnd, entry, fileLength);
        }
        int modeType = 0;
        int width = 0;
        int height = 0;
        int depth = 0;
        if ((flags & VIDEO_MODE) != 0 && at + 48 <= fileLength) {
            modeType = b.getInt(at + 32);
            width = b.getInt(at + 36);
            height = b.getInt(at + 40);
            depth = b.getInt(at + 44);
        }
        return new MultibootHeader(at, flags, headerAddr, loadAddr, loadEnd, bssEnd, entry, modeType, width, height, depth);
    }

    private static void checkAddresses(int at, long headerAddr, long loadAddr, long loadEnd, long bssEnd, long entry,
                                       int fileLength) throws BootImageException {
        if (headerAddr < loadAddr) {
            throw new BootImageException(String.format("Multiboot header_addr 0x%x is below load_addr 0x%x", headerAddr, loadAddr));
        }
        if (headerAddr - loadAddr > at) {
            throw new BootImageException(String.format("Multiboot load_addr 0x%x would start %d bytes before the file",
                    loadAddr, headerAddr - loadAddr - at));
        }
        long fileStart = at - (headerAddr - loadAddr);
        long end = loadEnd == 0 ? loadAddr + (fileLength - fileStart) : loadEnd;
        if (end < loadAddr || end - loadAddr > fileLength - fileStart) {
            throw new BootImageException(String.format("Multiboot load_end_addr 0x%x is outside load_addr 0x%x + the file's %d"
                    + " bytes", loadEnd, loadAddr, fileLength - fileStart));
        }
        if (bssEnd != 0 && bssEnd < end) {
            throw new BootImageException(String.format("Multiboot bss_end_addr 0x%x is below the end of the loaded data 0x%x",
                    bssEnd, end));
        }
        long imageEnd = bssEnd == 0 ? end : bssEnd;
        if (entry < loadAddr || entry >= imageEnd) {
            throw new BootImageException(String.format("Multiboot entry_addr 0x%x is outside the image [0x%x, 0x%x)", entry,
                    loadAddr, imageEnd));
        }
    }

    /** With flag 16: where in the file the bytes loaded at {@link #loadAddr()} start. */
    public long loadFileOffset() {
        return fileOffset - (headerAddr - loadAddr);
    }

    private static long u32(ByteBuffer b, int at) {
        return Integer.toUnsignedLong(b.getInt(at));
    }
}
