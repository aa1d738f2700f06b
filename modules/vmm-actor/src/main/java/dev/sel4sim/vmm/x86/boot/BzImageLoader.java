package dev.sel4sim.vmm.x86.boot;

import dev.sel4sim.vmm.boot.BootImageException;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Loads a Linux bzImage by the x86 boot protocol's 32-bit entry (Documentation/x86/boot.rst): the
 * protected-mode kernel at 1 MiB (its code32_start), the initrd at the top of usable memory below the
 * kernel's initrd_addr_max, the command line, and the zero page: the image's setup header with the
 * loader's fields filled in (type_of_loader 0xFF, CAN_USE_HEAP, heap_end_ptr, vid_mode, command line,
 * initrd), alt_mem_k and the e820 map. The real-mode setup code is not run.
 */
public final class BzImageLoader {
    private static final int ZERO_PAGE_SIZE = 4096;
    private static final int ALT_MEM_K = 0x1e0;
    private static final int E820_ENTRIES = 0x1e8;
    private static final int E820_TABLE = 0x2d0;
    private static final int CAN_USE_HEAP = 0x80;
    private static final int LOADER_UNDEFINED = 0xff;
    private static final int VID_NORMAL = 0xffff;
    private static final int HEAP_END = 0xfe00 - 0x200;

    private BzImageLoader() {
    }

    /**
     * Writes the kernel, the initrd (may be null), the command line and the zero page into guest
     * memory.
     *
     * @throws BootImageException for a malformed image, a command line that is too long, or images
     *                            that do not fit the memory map
     */
    public static LinuxBoot load(byte[] image, byte[] initrd, LinuxBootConfig config, BootMemory memory) throws BootImageException {
        LinuxSetupHeader h = LinuxSetupHeader.parse(image);
        byte[] cmd = config.cmdline().getBytes(StandardCharsets.US_ASCII);
        if (cmd.length > h.cmdlineSize()) {
            throw new BootImageException("the command line has " + cmd.length + " bytes; this kernel takes at most " + h.cmdlineSize());
        }
        long kernelAt = LinuxBootConfig.KERNEL_LOAD;
        byte[] kernel = Arrays.copyOfRange(image, h.kernelOffset(), image.length);
        // The kernel unpacks itself in place from its load address (or from its aligned preferred
        // address, if relocatable): all of that must be RAM.
        long unpackFrom = h.relocatable() ? Math.max(alignUp(kernelAt, h.kernelAlignment()), h.prefAddress()) : kernelAt;
        long need = Math.max(kernelAt + kernel.length, unpackFrom + h.initSize());
        if (!inRam(config, kernelAt, need - kernelAt)) {
            throw new BootImageException(String.format("the kernel needs RAM from 0x%x to 0x%x (init_size 0x%x) and the memory map has none there",
                    kernelAt, need, h.initSize()));
        }
        put(memory, kernelAt, kernel, "the kernel");

        long initrdAt = 0;
        long initrdLen = 0;
        if (initrd != null && initrd.length > 0) {
            long limit = Math.min(config.ramTop(), h.initrdAddrMax() + 1);
            initrdAt = (limit - initrd.length) & ~0xfffL;
            initrdLen = initrd.length;
            if (initrdAt < need || !inRam(config, initrdAt, initrdLen)) {
                throw new BootImageException(String.format("an initrd of %d bytes does not fit between the kernel (ending 0x%x) and 0x%x",
                        initrd.length, need, limit));
            }
            put(memory, initrdAt, initrd, "the initrd");
        }

        byte[] cmdline = Arrays.copyOf(cmd, cmd.length + 1);
        put(memory, LinuxBootConfig.CMDLINE, cmdline, "the command line");

        byte[] zp = new byte[ZERO_PAGE_SIZE];
        System.arraycopy(image, LinuxSetupHeader.SETUP_SECTS, zp, LinuxSetupHeader.SETUP_SECTS, h.headerEnd() - LinuxSetupHeader.SETUP_SECTS);
        putU16(zp, LinuxSetupHeader.VID_MODE, VID_NORMAL);
        zp[LinuxSetupHeader.TYPE_OF_LOADER] = (byte) LOADER_UNDEFINED;
        zp[LinuxSetupHeader.LOADFLAGS] = (byte) (h.loadFlags() | CAN_USE_HEAP);
        putU32(zp, LinuxSetupHeader.CODE32_START, kernelAt);
        putU32(zp, LinuxSetupHeader.RAMDISK_IMAGE, initrdAt);
        putU32(zp, LinuxSetupHeader.RAMDISK_SIZE, initrdLen);
        putU16(zp, LinuxSetupHeader.HEAP_END_PTR, HEAP_END);
        putU32(zp, LinuxSetupHeader.CMD_LINE_PTR, LinuxBootConfig.CMDLINE);
        putU32(zp, LinuxSetupHeader.HARDWARE_SUBARCH, 0);
        long above1M = 0;
        for (E820Entry e : config.memory()) {
            if (e.type() == E820Entry.RAM && e.address() >= 0x10_0000) {
                above1M += e.size();
            }
        }
        putU32(zp, ALT_MEM_K, above1M / 1024);
        zp[E820_ENTRIES] = (byte) config.memory().size();
        for (int i = 0; i < config.memory().size(); i++) {
            E820Entry e = config.memory().get(i);
            int at = E820_TABLE + 20 * i;
            putU32(zp, at, e.address());
            putU32(zp, at + 4, e.address() >>> 32);
            putU32(zp, at + 8, e.size());
            putU32(zp, at + 12, e.size() >>> 32);
            putU32(zp, at + 16, e.type());
        }
        put(memory, LinuxBootConfig.ZERO_PAGE, zp, "the zero page");
        return new LinuxBoot(h, kernelAt, LinuxBootConfig.ZERO_PAGE, kernelAt, kernel.length, initrdAt, initrdLen);
    }

    private static boolean inRam(LinuxBootConfig config, long at, long length) {
        for (E820Entry e : config.memory()) {
            if (e.type() == E820Entry.RAM && at >= e.address() && at + length <= e.end()) {
                return true;
            }
        }
        return false;
    }

    private static long alignUp(long v, long alignment) {
        return (v + alignment - 1) & -alignment;
    }

    private static void put(BootMemory memory, long at, byte[] data, String what) throws BootImageException {
        if (!memory.write(at, data)) {
            throw new BootImageException(String.format("%s (%d bytes at 0x%x) does not fit in guest RAM", what, data.length, at));
        }
    }

    private static void putU16(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
    }

    private static void putU32(byte[] b, int at, long v) {
        putU16(b, at, (int) v);
        putU16(b, at + 2, (int) (v >>> 16));
    }
}
