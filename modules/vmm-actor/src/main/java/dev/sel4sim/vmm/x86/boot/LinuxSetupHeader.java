package dev.sel4sim.vmm.x86.boot;

import dev.sel4sim.vmm.boot.BootImageException;

/**
 * The setup header of a Linux x86 bzImage (the boot protocol's fields from offset 0x1F1), as far as
 * a 32-bit boot loader needs it. Parsed from the image and checked: the boot flag 0xAA55, "HdrS",
 * protocol 2.10 or later (kernel_alignment, init_size, cmdline_size and a 32-bit entry are then
 * defined), and a protected-mode part that lies inside the file.
 *
 * @param setupSects       512-byte sectors of real-mode setup after the boot sector (0 means 4)
 * @param version          boot protocol version, e.g. 0x020F
 * @param loadFlags        the kernel's loadflags byte (bit 0 LOADED_HIGH)
 * @param code32Start      where the kernel expects its protected-mode part (normally 1 MiB)
 * @param initrdAddrMax    highest address the initrd may end at (inclusive)
 * @param kernelAlignment  physical alignment a relocatable kernel needs
 * @param relocatable      the kernel may be loaded at any kernelAlignment-aligned address
 * @param cmdlineSize      longest command line, without its terminating NUL
 * @param prefAddress      the kernel's preferred load address
 * @param initSize         bytes the kernel needs from its load address while it unpacks itself
 * @param headerEnd        the offset just past the header in the image (0x202 + the jump's byte)
 */
public record LinuxSetupHeader(int setupSects, int version, int loadFlags, long code32Start, long initrdAddrMax,
                               long kernelAlignment, boolean relocatable, long cmdlineSize, long prefAddress,
                               long initSize, int headerEnd) {
    public static final int SETUP_SECTS = 0x1f1;
    public static final int VID_MODE = 0x1fa;
    public static final int BOOT_FLAG = 0x1fe;
    public static final int JUMP = 0x200;
    public static final int HEADER = 0x202;
    public static final int VERSION = 0x206;
    public static final int TYPE_OF_LOADER = 0x210;
    public static final int LOADFLAGS = 0x211;
    public static final int CODE32_START = 0x214;
    public static final int RAMDISK_IMAGE = 0x218;
    public static final int RAMDISK_SIZE = 0x21c;
    public static final int HEAP_END_PTR = 0x224;
    public static final int CMD_LINE_PTR = 0x228;
    public static final int INITRD_ADDR_MAX = 0x22c;
    public static final int KERNEL_ALIGNMENT = 0x230;
    public static final int RELOCATABLE_KERNEL = 0x234;
    public static final int CMDLINE_SIZE = 0x238;
    public static final int HARDWARE_SUBARCH = 0x23c;
    public static final int PREF_ADDRESS = 0x258;
    public static final int INIT_SIZE = 0x260;

    /** "HdrS" read as a little-endian 32-bit word. */
    public static final int MAGIC = 0x5372_6448;
    public static final int MIN_VERSION = 0x020a;

    /** Byte offset in the file of the protected-mode kernel. */
    public int kernelOffset() {
        return (setupSects == 0 ? 4 : setupSects) * 512 + 512;
    }

    /** Parses and checks the header of {@code image}. */
    public static LinuxSetupHeader parse(byte[] image) throws BootImageException {
        if (image.length < 0x270) {
            throw new BootImageException("a bzImage of " + image.length + " bytes is too short for the x86 setup header");
        }
        if (u16(image, BOOT_FLAG) != 0xaa55) {
            throw new BootImageException(String.format("not a Linux x86 boot image: boot flag 0x%04x at 0x1FE, expected 0xAA55",
                    u16(image, BOOT_FLAG)));
        }
        if ((int) u32(image, HEADER) != MAGIC) {
            throw new BootImageException("not a Linux x86 bzImage: no \"HdrS\" at 0x202 (a kernel older than boot protocol 2.00?)");
        }
        int version = u16(image, VERSION);
        if (version < MIN_VERSION) {
            throw new BootImageException(String.format("boot protocol %d.%02d is too old: 2.10 or later is needed",
                    version >> 8, version & 0xff));
        }
        int headerEnd = HEADER + (image[JUMP + 1] & 0xff);
        if (headerEnd > 0x400 || headerEnd < INIT_SIZE + 4) {
            throw new BootImageException(String.format("the setup header would end at 0x%x: not a plausible header", headerEnd));
        }
        int setupSects = image[SETUP_SECTS] & 0xff;
        LinuxSetupHeader h = new LinuxSetupHeader(setupSects, version, image[LOADFLAGS] & 0xff, u32(image, CODE32_START),
                u32(image, INITRD_ADDR_MAX), u32(image, KERNEL_ALIGNMENT), image[RELOCATABLE_KERNEL] != 0,
                u32(image, CMDLINE_SIZE), u64(image, PREF_ADDRESS), u32(image, INIT_SIZE), headerEnd);
        if (h.kernelOffset() >= image.length) {
            throw new BootImageException(String.format("the setup code (%d sectors) reaches past the end of the %d-byte image",
                    setupSects, image.length));
        }
        if ((h.loadFlags & 1) == 0) {
            throw new BootImageException("a zImage loaded low (loadflags bit 0 clear) is not supported; give a bzImage");
        }
        if (h.relocatable && Long.bitCount(h.kernelAlignment) != 1) {
            throw new BootImageException("kernel_alignment 0x" + Long.toHexString(h.kernelAlignment) + " is not a power of two");
        }
        return h;
    }

    static int u16(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
    }

    static long u32(byte[] b, int at) {
        return (u16(b, at) | (long) u16(b, at + 2) << 16) & 0xffff_ffffL;
    }

    static long u64(byte[] b, int at) {
        return u32(b, at) | u32(b, at + 4) << 32;
    }
}
