package dev.sel4sim.vmm.boot;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.sel4sim.boards.MemoryRegion;
import dev.sel4sim.vmm.arm.dt.ArmVmDeviceTree;
import dev.sel4sim.vmm.arm.dt.GicSpec;
import dev.sel4sim.vmm.arm.dt.MmioDeviceSpec;
import dev.sel4sim.vmm.arm.dt.VmDeviceTreeSpec;
import dev.sel4sim.vmm.boot.fdt.FdtNode;
import dev.sel4sim.vmm.boot.fdt.FdtReader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class BootLayoutTest {

    static final long MIB = 1L << 20;
    static final MemoryRegion RAM_1G = new MemoryRegion(0x4000_0000L, 1L << 30);

    static LinuxImage kernel(long textOffset, long imageSize, long fileSize) {
        return new LinuxImage(textOffset, imageSize, 0b1010, fileSize);
    }

    /** The rules of booting.rst, checked on any Linux layout. */
    static void assertBootingRules(MemoryRegion ram, LinuxImage k, BootLayout l) {
        long base = l.image().base() - k.effectiveTextOffset();
        assertEquals(0, base % (2 * MIB), "image at a 2 MiB aligned base + text_offset");
        assertTrue(ram.contains(l.image()), "kernel in RAM");
        assertTrue(l.image().size() >= k.imageSize(), "image_size bytes free from the image's start");
        assertEquals(0, l.dtb().base() % 8, "DTB 8-byte aligned");
        assertTrue(l.dtb().size() <= 2 * MIB, "DTB at most 2 MiB");
        assertTrue(ram.contains(l.dtb()), "DTB in RAM");
        assertFalse(l.dtb().overlaps(l.image()), "DTB apart from the kernel");
        assertTrue(l.dtb().end() <= base + 512 * MIB, "DTB within 512 MiB of the kernel base (pre-4.2)");
        assertEquals(l.image().base(), l.entry());
        assertEquals(l.dtb().base(), l.x0());
        l.initrd().ifPresent(initrd -> {
            assertTrue(ram.contains(initrd), "initrd in RAM");
            assertFalse(initrd.overlaps(l.image()), "initrd apart from the kernel");
            assertFalse(initrd.overlaps(l.dtb()), "initrd apart from the DTB");
            long window = Math.min(initrd.base(), l.image().base()) & -(1L << 30);
            assertTrue(Math.max(initrd.end(), l.image().end()) - window <= 32L << 30, "one 1 GiB aligned 32 GiB window");
        });
    }

    @Test
    void modernKernelThenDtbThenInitrd() throws Exception {
        LinuxImage k = kernel(0, 0x1ab_0000, 0x1a0_a000);
        BootLayout l = BootLayout.linux(RAM_1G, k, 0x2000, MIB);
        assertBootingRules(RAM_1G, k, l);
        assertEquals(new MemoryRegion(0x4000_0000L, 0x1ab_0000), l.image());
        assertEquals(new MemoryRegion(0x41c0_0000L, 0x2000), l.dtb(), "next 2 MiB boundary after image_size");
        assertEquals(new MemoryRegion(0x41c0_2000L, MIB), l.initrd().orElseThrow());
        assertTrue(l.imageInRam());
    }

    @Test
    void textOffsetAndUnalignedRam() throws Exception {
        MemoryRegion ram = new MemoryRegion(0x4010_0000L, 256 * MIB);
        LinuxImage k = kernel(0x80000, 0x100_0000, 0x80_0000);
        BootLayout l = BootLayout.linux(ram, k, 0x1000, 0);
        assertBootingRules(ram, k, l);
        assertEquals(0x4028_0000L, l.entry());
        assertTrue(l.initrd().isEmpty());
    }

    @Test
    void legacyKernelLeavesTheMemoryAfterItFree() throws Exception {
        LinuxImage k = kernel(0, 0, 0x80_0000);
        BootLayout l = BootLayout.linux(RAM_1G, k, 0x3000, 4 * MIB);
        assertBootingRules(RAM_1G, k, l);
        assertEquals(0x4008_0000L, l.entry(), "text_offset 0x80000 assumed");
        assertEquals(0x5fe0_0000L, l.dtb().base(), "top 2 MiB of the first 512 MiB");
        assertEquals(0x5fa0_0000L, l.initrd().orElseThrow().base(), "initrd just below the DTB");
    }

    @Test
    void ramTooSmallIsExplained() {
        LinuxImage k = kernel(0, 0x1ab_0000, 0x1a0_a000);
        String forKernel = assertThrows(BootLayoutException.class,
                () -> BootLayout.linux(new MemoryRegion(0x4000_0000L, 16 * MIB), k, 0x2000, 0)).getMessage();
        assertTrue(forKernel.contains("too small for the kernel"), forKernel);
        String forRest = assertThrows(BootLayoutException.class,
                () -> BootLayout.linux(new MemoryRegion(0x4000_0000L, 30 * MIB), k, 0x2000, 4 * MIB)).getMessage();
        assertTrue(forRest.contains("too small") && forRest.contains("initrd"), forRest);
        assertThrows(BootLayoutException.class, () -> BootLayout.linux(RAM_1G, k, 2 * MIB + 1, 0), "DTB > 2 MiB");
        assertThrows(BootLayoutException.class, () -> BootLayout.linux(RAM_1G, k, 0, 0), "no DTB");
        assertThrows(BootLayoutException.class, () -> BootLayout.linux(RAM_1G, k, 0x1000, -1));
        assertThrows(BootLayoutException.class,
                () -> BootLayout.linux(RAM_1G, kernel(0, 600 * MIB, 600 * MIB), 0x1000, 0),
                "DTB beyond 512 MiB of the base");
    }

    @Test
    void uBootSitsInRomAtZeroWithTheDtbAtRamStart() throws Exception {
        BootLayout l = BootLayout.uBootQemuArm64(RAM_1G, 971_304, 0x2000);
        assertEquals(0, l.entry());
        assertEquals(new MemoryRegion(0, 971_304), l.image());
        assertFalse(l.imageInRam());
        assertEquals(new MemoryRegion(0, 0xee000), l.romRegion(), "971304 = 0xed228 rounded up to a page");
        assertEquals(new MemoryRegion(0x4000_0000L, 0x2000), l.dtb());
        assertTrue(l.initrd().isEmpty());

        assertThrows(BootLayoutException.class,
                () -> BootLayout.uBootQemuArm64(new MemoryRegion(0x8000_0000L, 1L << 30), 971_304, 0x2000));
        assertThrows(BootLayoutException.class,
                () -> BootLayout.uBootQemuArm64(new MemoryRegion(0x4000_0000L, 32 * MIB), 971_304, 0x2000));
        assertThrows(BootLayoutException.class, () -> BootLayout.uBootQemuArm64(RAM_1G, 971_304, 2 * MIB),
                "a DTB reaching U-Boot's pre-console buffer at RAM + 1 MiB");
        assertThrows(BootLayoutException.class, () -> BootLayout.uBootQemuArm64(RAM_1G, 65 * MIB, 0x2000));
    }

    @Test
    void rawBinaryRules() throws Exception {
        BootLayout inRam = BootLayout.rawBinary(RAM_1G, 0x4020_0000L, 0x10_0000, 0x2000);
        assertTrue(inRam.imageInRam());
        assertEquals(0x4020_0000L, inRam.entry());
        assertEquals(0x4000_0000L, inRam.dtb().base());
        assertThrows(BootLayoutException.class, () -> BootLayout.rawBinary(RAM_1G, 0x4000_0000L, 0x1000, 0x2000),
                "over the DTB");
        assertThrows(BootLayoutException.class, () -> BootLayout.rawBinary(RAM_1G, 0x3fff_f000L, 0x2000, 0x100),
                "straddling RAM's start");
        assertThrows(BootLayoutException.class, () -> BootLayout.rawBinary(RAM_1G, 0x4020_0800L, 0x1000, 0x100),
                "not page aligned");
    }

    @Test
    void elfAtItsPhysicalAddresses() throws Exception {
        ElfImage elf = ElfImage.parse(ElfImageTest.good());
        BootLayout l = BootLayout.elf(RAM_1G, elf, 0x2000, 0x5000);
        assertEquals(ElfImageTest.TEXT_PADDR + 0x40, l.entry());
        assertEquals(new MemoryRegion(ElfImageTest.TEXT_PADDR, ElfImageTest.DATA_PADDR + 0x1000
                - ElfImageTest.TEXT_PADDR), l.image());
        assertEquals(0x4020_0000L, l.dtb().base());
        assertEquals(0x4020_2000L, l.initrd().orElseThrow().base());
        assertThrows(BootLayoutException.class,
                () -> BootLayout.elf(new MemoryRegion(0x8000_0000L, 1L << 30), elf, 0x2000, 0));
    }

    /** Debian's u-boot.bin really is linked at 0 and is exactly its image: the facts the U-Boot layout rests on. */
    @Test
    void debianUBootIsLinkedAtZero() throws Exception {
        Path file = LinuxImageTest.GUESTS.resolve("u-boot.bin");
        assumeTrue(Files.isRegularFile(file), "u-boot.bin not fetched (scripts/fetch-guests.sh)");
        byte[] bin = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(bin).order(ByteOrder.LITTLE_ENDIAN);
        // arch/arm/cpu/armv8/start.S: "b reset", then the quads _TEXT_BASE, _end_ofs, _bss_start_ofs, _bss_end_ofs
        assertEquals(0b000101, b.getInt(0) >>> 26, "first instruction is a branch");
        assertEquals(BootLayout.UBOOT_QEMU_TEXT_BASE, b.getLong(8), "_TEXT_BASE = CONFIG_TEXT_BASE");
        assertEquals(bin.length, b.getLong(16), "_end - _start: the binary is the whole image");
        BootLayout l = BootLayout.uBootQemuArm64(RAM_1G, bin.length, 0x2000);
        assertFalse(l.image().overlaps(RAM_1G));
    }

    /** The whole Linux path: DTB size first, layout, then the DTB with the real initrd addresses. */
    @Test
    void debianKernelWithInitramfs() throws Exception {
        Path image = LinuxImageTest.GUESTS.resolve("Image");
        Path initramfs = LinuxImageTest.GUESTS.resolve("initramfs.cpio.gz");
        assumeTrue(Files.isRegularFile(image) && Files.isRegularFile(initramfs), "guest images not fetched");
        LinuxImage k = LinuxImage.read(image);
        long initrdSize = Files.size(initramfs);
        VmDeviceTreeSpec spec = VmDeviceTreeSpec.builder(List.of(RAM_1G), 2,
                        new GicSpec.V2(new MemoryRegion(0x0800_0000L, 0x1_0000), new MemoryRegion(0x0801_0000L, 0x1_0000)))
                .pl011(MmioDeviceSpec.of(0x0900_0000L, 0x1000, 33))
                .bootargs("console=ttyAMA0")
                .build();
        long dtbSize = ArmVmDeviceTree.build(spec.withInitrd(RAM_1G.base(), RAM_1G.base())).length;
        BootLayout l = BootLayout.linux(RAM_1G, k, dtbSize, initrdSize);
        assertBootingRules(RAM_1G, k, l);
        MemoryRegion initrd = l.initrd().orElseThrow();
        byte[] dtb = ArmVmDeviceTree.build(spec.withInitrd(initrd.base(), initrd.end()));
        assertEquals(dtbSize, dtb.length);
        FdtNode chosen = FdtReader.read(dtb).root().find("/chosen").orElseThrow();
        assertEquals(initrd.base(), chosen.property("linux,initrd-start").orElseThrow().u64().getAsLong());
        assertEquals(initrd.end(), chosen.property("linux,initrd-end").orElseThrow().u64().getAsLong());
    }
}
