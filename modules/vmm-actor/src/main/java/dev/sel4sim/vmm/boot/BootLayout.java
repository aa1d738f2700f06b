package dev.sel4sim.vmm.boot;

import java.util.Objects;
import java.util.Optional;

import dev.sel4sim.boards.MemoryRegion;
import dev.sel4sim.boards.Sizes;

/**
 * Where a boot puts its pieces in guest physical memory, and where the boot CPU starts: copy the image to
 * {@code image.base()}, the DTB to {@code dtb.base()}, the initrd (if any) to {@code initrd.base()}, then start
 * at {@code entry} with x0 = {@code dtb.base()} and x1..x3 = 0 (booting.rst).
 *
 * <p>The factories apply the rules of each protocol and answer a {@link BootLayoutException} with the numbers
 * when the pieces do not fit:
 * <ul>
 *   <li>{@link #linux}: the arm64 Image at a 2 MiB aligned base plus {@code text_offset}, as low in RAM as
 *       possible; the DTB 8-byte aligned (here 2 MiB aligned, in a block of its own), at most 2 MiB, within
 *       512 MiB of the kernel's base (required before v4.2); the initrd 4 KiB aligned, in one 1 GiB aligned
 *       window of at most 32 GiB that also covers the kernel. A modern header ({@code image_size} set) gets the
 *       DTB and initrd right after {@code image_size}; a legacy header (size 0, "keep as much memory as possible
 *       free after the kernel") gets them at the top of the first 512 MiB.</li>
 *   <li>{@link #rawBinary}: the DTB at the start of RAM, the binary where the caller says.</li>
 *   <li>{@link #uBootQemuArm64}: Debian's {@code u-boot-qemu} build for qemu_arm64, as QEMU's {@code -bios} boots
 *       it (below).</li>
 *   <li>{@link #elf}: the segments at their physical addresses, DTB and initrd after the highest one.</li>
 * </ul>
 *
 * @param image      the image's bytes in guest memory (for a Linux Image, {@code image_size} or the file length)
 * @param entry      the boot CPU's first PC
 * @param dtb        the device tree blob's place (its exact size)
 * @param initrd     the initial RAM disk's place, if one is loaded
 * @param imageInRam false when the image lies outside RAM and needs a ROM mapping of its own ({@link #romRegion})
 */
public record BootLayout(MemoryRegion image, long entry, MemoryRegion dtb, Optional<MemoryRegion> initrd,
                         boolean imageInRam) {

    /** Largest DTB arm64 Linux accepts. */
    public static final long MAX_DTB_SIZE = 2L << 20;
    /** Before v4.2 the DTB had to lie within this distance above the kernel's 2 MiB aligned base. */
    public static final long DTB_WINDOW = 512L << 20;
    /** The kernel and initrd must share one window of this size at most, aligned to {@link #INITRD_WINDOW_ALIGN}. */
    public static final long INITRD_WINDOW = 32L << 30;
    /** Alignment of that window. */
    public static final long INITRD_WINDOW_ALIGN = 1L << 30;
    /** Page alignment for the initrd and ROM mappings. */
    public static final long PAGE = 4096;

    /**
     * Where U-Boot for qemu_arm64 expects RAM and reads the DTB QEMU generated: {@code CFG_SYS_SDRAM_BASE}
     * (include/configs/qemu-arm.h), read by {@code board_fdt_blob_setup} in board/emulation/qemu-arm/qemu-arm.c.
     */
    public static final long UBOOT_QEMU_SDRAM_BASE = 0x4000_0000L;
    /**
     * Where it is linked and started: {@code CONFIG_TEXT_BASE} 0x0 (board/emulation/qemu-arm/Kconfig), the first
     * flash bank of QEMU's virt machine, where {@code -bios} puts it.
     */
    public static final long UBOOT_QEMU_TEXT_BASE = 0;
    /** One flash bank of QEMU's virt machine; U-Boot keeps its environment in the second, at 64 MiB. */
    public static final long UBOOT_QEMU_FLASH_BANK = 64L << 20;
    /** U-Boot's pre-console buffer sits at RAM + 1 MiB ({@code CONFIG_PRE_CON_BUF_ADDR}): the DTB ends below. */
    public static final long UBOOT_QEMU_MAX_DTB = 1L << 20;
    /**
     * RAM U-Boot needs: the first 2 MiB (DTB, pre-console buffer, early stack below
     * {@code CONFIG_SYS_INIT_SP_ADDR} = RAM + 2 MiB), and at the top its relocated copy with a 16 MiB
     * {@code CONFIG_SYS_MALLOC_LEN} heap; 64 MiB leaves room for loading a kernel as well.
     */
    public static final long UBOOT_QEMU_MIN_RAM = 64L << 20;

    /** Checks the fields. */
    public BootLayout {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(dtb, "dtb");
        Objects.requireNonNull(initrd, "initrd");
    }

    /** @return the value for x0 at entry: the DTB's address */
    public long x0() {
        return dtb.base();
    }

    /** @return the page-aligned window to map read-only for an image outside RAM */
    public MemoryRegion romRegion() {
        long base = image.base() & -PAGE;
        return new MemoryRegion(base, LinuxImage.alignUp(image.end(), PAGE) - base);
    }

    /**
     * Places an arm64 Linux Image, its DTB and an optional initrd.
     *
     * @param ram        the RAM bank to boot from
     * @param kernel     the Image's header
     * @param dtbSize    the DTB's size (see {@code ArmVmDeviceTree}: it does not change with the initrd addresses)
     * @param initrdSize the initrd's size, 0 for none
     * @return the layout; entry is the Image's first byte
     * @throws BootLayoutException if the pieces do not fit, with the numbers
     */
    public static BootLayout linux(MemoryRegion ram, LinuxImage kernel, long dtbSize, long initrdSize)
            throws BootLayoutException {
        checkDtb(dtbSize, MAX_DTB_SIZE);
        if (initrdSize < 0) {
            throw new BootLayoutException("initrd size " + initrdSize + " is negative");
        }
        long base = LinuxImage.alignUp(ram.base(), LinuxImage.BASE_ALIGN);
        long load = kernel.loadAddress(ram.base());
        long kernelEnd = load + kernel.footprint();
        if (kernelEnd > ram.end()) {
            throw new BootLayoutException("RAM " + describe(ram) + " is too small for the kernel: it needs ["
                    + hex(load) + ", " + hex(kernelEnd) + ") (text_offset " + hex(kernel.effectiveTextOffset())
                    + " above the 2 MiB aligned base " + hex(base) + ", " + size(kernel.footprint()) + ")");
        }
        long dtbAt;
        long initrdAt;
        if (!kernel.legacy()) {
            dtbAt = LinuxImage.alignUp(kernelEnd, LinuxImage.BASE_ALIGN);
            initrdAt = LinuxImage.alignUp(dtbAt + dtbSize, PAGE);
        } else {
            long top = Math.min(ram.end(), base + DTB_WINDOW) & -LinuxImage.BASE_ALIGN;
            dtbAt = top - LinuxImage.BASE_ALIGN;
            initrdAt = (dtbAt - initrdSize) & -PAGE;
            if (initrdAt < kernelEnd || dtbAt < kernelEnd) {
                throw new BootLayoutException("RAM " + describe(ram) + " is too small: a legacy kernel (image_size 0)"
                        + " ends at " + hex(kernelEnd) + ", and the initrd (" + size(initrdSize) + ") and DTB must"
                        + " fit between it and " + hex(top));
            }
        }
        long initrdEnd = initrdAt + initrdSize;
        long dtbEnd = dtbAt + dtbSize;
        long needed = Math.max(dtbEnd, initrdEnd);
        if (needed > ram.end()) {
            throw new BootLayoutException("RAM " + describe(ram) + " is too small: the kernel ends at "
                    + hex(kernelEnd) + ", the DTB (" + size(dtbSize) + ") at " + hex(dtbAt)
                    + (initrdSize > 0 ? " and the initrd (" + size(initrdSize) + ") at " + hex(initrdAt) : "")
                    + " reach " + hex(needed) + "; give the VM at least " + size(needed - ram.base()) + " of RAM");
        }
        if (dtbEnd > base + DTB_WINDOW) {
            throw new BootLayoutException("the DTB at " + hex(dtbAt) + " would end beyond 512 MiB above the kernel's"
                    + " base " + hex(base) + ", where kernels before v4.2 cannot see it: the kernel is too large");
        }
        if (initrdSize > 0) {
            long windowStart = Math.min(load, initrdAt) & -INITRD_WINDOW_ALIGN;
            if (Math.max(kernelEnd, initrdEnd) - windowStart > INITRD_WINDOW) {
                throw new BootLayoutException("the kernel and initrd do not fit one 1 GiB aligned 32 GiB window "
                        + "from " + hex(windowStart) + ": the initrd ends at " + hex(initrdEnd));
            }
        }
        return new BootLayout(new MemoryRegion(load, kernel.footprint()), load, new MemoryRegion(dtbAt, dtbSize),
                initrdSize > 0 ? Optional.of(new MemoryRegion(initrdAt, initrdSize)) : Optional.empty(), true);
    }

    /**
     * Places a raw binary (a firmware or bootloader that finds its DTB itself) at a fixed address and the DTB
     * at the start of RAM, as QEMU's virt machine does for {@code -bios}.
     *
     * @param ram         the RAM bank
     * @param loadAddress where the binary is linked to run (4 KiB aligned), in RAM or outside it (a ROM)
     * @param binarySize  its size
     * @param dtbSize     the DTB's size
     * @return the layout; entry is the load address
     * @throws BootLayoutException if the binary straddles RAM's edge, overlaps the DTB or leaves RAM
     */
    public static BootLayout rawBinary(MemoryRegion ram, long loadAddress, long binarySize, long dtbSize)
            throws BootLayoutException {
        checkDtb(dtbSize, MAX_DTB_SIZE);
        if (binarySize <= 0) {
            throw new BootLayoutException("the binary is empty");
        }
        if (loadAddress < 0 || loadAddress % PAGE != 0) {
            throw new BootLayoutException("load address " + hex(loadAddress) + " is not 4 KiB aligned");
        }
        if (loadAddress > Long.MAX_VALUE - binarySize) {
            throw new BootLayoutException("the binary at " + hex(loadAddress) + " wraps the address space");
        }
        if (ram.base() % 8 != 0) {
            throw new BootLayoutException("RAM starts at " + hex(ram.base()) + ": the DTB there would not be 8-byte"
                    + " aligned");
        }
        if (dtbSize > ram.size()) {
            throw new BootLayoutException("RAM " + describe(ram) + " is smaller than the DTB (" + size(dtbSize) + ")");
        }
        MemoryRegion binary = new MemoryRegion(loadAddress, binarySize);
        MemoryRegion dtb = new MemoryRegion(ram.base(), dtbSize);
        boolean inRam = ram.contains(binary);
        if (!inRam && binary.overlaps(ram)) {
            throw new BootLayoutException("the binary " + binary + " straddles the edge of RAM " + describe(ram)
                    + ": put it wholly inside RAM or wholly outside (a ROM)");
        }
        if (binary.overlaps(dtb)) {
            throw new BootLayoutException("the binary " + binary + " overlaps the DTB " + dtb
                    + " at the start of RAM");
        }
        return new BootLayout(binary, loadAddress, dtb, Optional.empty(), inRam);
    }

    /**
     * Places Debian's U-Boot for qemu_arm64 ({@code u-boot-qemu}, {@code /usr/lib/u-boot/qemu_arm64/u-boot.bin})
     * the way QEMU's virt machine boots it with {@code -bios}: the binary in a ROM at 0x0 (its link address,
     * {@code CONFIG_TEXT_BASE} = 0), the DTB at the start of RAM, 0x40000000, where the board code looks for it;
     * the CPU starts at 0x0.
     *
     * <p>The build is position independent ({@code CONFIG_POSITION_INDEPENDENT}): run from its link address it
     * applies no relocations to itself, so the ROM is never written by its start-up code; it then copies itself
     * to the top of RAM (which it learns from the DTB's memory node) and continues there. The VMM maps
     * {@link #romRegion()} read-only, ignoring writes rather than faulting: U-Boot probes the flash banks with
     * CFI commands (writes) when the DTB describes them, and this DTB does not.
     *
     * @param ram        the VM's first RAM bank; it must start at 0x40000000 and have at least 64 MiB
     * @param binarySize u-boot.bin's size
     * @param dtbSize    the DTB's size, at most 1 MiB
     * @return the layout, with {@code imageInRam} false
     * @throws BootLayoutException if RAM is elsewhere or too small, or a piece too large
     */
    public static BootLayout uBootQemuArm64(MemoryRegion ram, long binarySize, long dtbSize)
            throws BootLayoutException {
        if (ram.base() != UBOOT_QEMU_SDRAM_BASE) {
            throw new BootLayoutException("U-Boot for qemu_arm64 looks for RAM and its DTB at 0x40000000, but the "
                    + "VM's RAM starts at " + hex(ram.base()));
        }
        if (ram.size() < UBOOT_QEMU_MIN_RAM) {
            throw new BootLayoutException("RAM " + describe(ram) + " is too small for U-Boot: it relocates itself "
                    + "with a 16 MiB heap to the top of RAM; give it at least " + size(UBOOT_QEMU_MIN_RAM));
        }
        if (binarySize > UBOOT_QEMU_FLASH_BANK) {
            throw new BootLayoutException("u-boot.bin of " + size(binarySize) + " does not fit the 64 MiB flash bank"
                    + " at 0x0");
        }
        checkDtb(dtbSize, UBOOT_QEMU_MAX_DTB);
        return rawBinary(ram, UBOOT_QEMU_TEXT_BASE, binarySize, dtbSize);
    }

    /**
     * Places an ELF executable at its segments' physical addresses, the DTB at the next 2 MiB boundary after
     * them and the initrd after the DTB.
     *
     * @param ram        the RAM bank holding every segment
     * @param elf        the executable
     * @param dtbSize    the DTB's size
     * @param initrdSize the initrd's size, 0 for none
     * @return the layout; entry is the physical entry point
     * @throws BootLayoutException if a segment lies outside RAM or the rest does not fit
     */
    public static BootLayout elf(MemoryRegion ram, ElfImage elf, long dtbSize, long initrdSize)
            throws BootLayoutException {
        checkDtb(dtbSize, MAX_DTB_SIZE);
        if (initrdSize < 0) {
            throw new BootLayoutException("initrd size " + initrdSize + " is negative");
        }
        for (ElfSegment s : elf.segments()) {
            if (s.memorySize() > 0 && !ram.contains(new MemoryRegion(s.physicalAddress(), s.memorySize()))) {
                throw new BootLayoutException("ELF segment at physical " + hex(s.physicalAddress()) + " ("
                        + size(s.memorySize()) + ") is not inside RAM " + describe(ram));
            }
        }
        long start = elf.physicalStart();
        long end = Math.max(elf.physicalEnd(), start + 1);
        long dtbAt = LinuxImage.alignUp(end, LinuxImage.BASE_ALIGN);
        long initrdAt = LinuxImage.alignUp(dtbAt + dtbSize, PAGE);
        long needed = initrdSize > 0 ? initrdAt + initrdSize : dtbAt + dtbSize;
        if (needed > ram.end()) {
            throw new BootLayoutException("RAM " + describe(ram) + " is too small: the ELF image ends at " + hex(end)
                    + " and the DTB" + (initrdSize > 0 ? " and initrd" : "") + " after it reach " + hex(needed));
        }
        return new BootLayout(new MemoryRegion(start, end - start), elf.entryPhysical(),
                new MemoryRegion(dtbAt, dtbSize),
                initrdSize > 0 ? Optional.of(new MemoryRegion(initrdAt, initrdSize)) : Optional.empty(), true);
    }

    private static void checkDtb(long dtbSize, long max) throws BootLayoutException {
        if (dtbSize <= 0 || dtbSize > max) {
            throw new BootLayoutException("a DTB of " + dtbSize + " bytes: it must be 1.." + max + " bytes");
        }
    }

    private static String describe(MemoryRegion ram) {
        return ram + " (" + size(ram.size()) + ")";
    }

    private static String size(long bytes) {
        if (bytes >= 1L << 20 && bytes % (1L << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        return bytes + " bytes";
    }

    private static String hex(long value) {
        return Sizes.hex(value);
    }
}
