package dev.sel4sim.vmm.arm.dt;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.sel4sim.boards.Board;
import dev.sel4sim.boards.Boards;
import dev.sel4sim.boards.Gic;
import dev.sel4sim.boards.MemoryRegion;
import dev.sel4sim.vmm.boot.fdt.Dtc;
import dev.sel4sim.vmm.boot.fdt.FdtNode;
import dev.sel4sim.vmm.boot.fdt.FdtProperty;
import dev.sel4sim.vmm.boot.fdt.FdtReader;
import dev.sel4sim.vmm.boot.fdt.FdtTree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Expected values come from the Linux bindings and QEMU's virt memory map, written out by hand. */
class ArmVmDeviceTreeTest {

    static final MemoryRegion RAM = new MemoryRegion(0x4000_0000L, 0x4000_0000L);
    static final GicSpec GIC_V2 = new GicSpec.V2(new MemoryRegion(0x0800_0000L, 0x1_0000),
            new MemoryRegion(0x0801_0000L, 0x1_0000));
    static final GicSpec GIC_V3 = new GicSpec.V3(new MemoryRegion(0x0800_0000L, 0x1_0000), 0x080a_0000L);

    static VmDeviceTreeSpec virtLike(GicSpec gic, int cpus) {
        return VmDeviceTreeSpec.builder(List.of(RAM), cpus, gic)
                .pl011(MmioDeviceSpec.of(0x0900_0000L, 0x1000, 33))
                .pl031(MmioDeviceSpec.of(0x0901_0000L, 0x1000, 34))
                .virtio(VirtioMmioSlot.of(0x0a00_0000L, 48))
                .virtio(VirtioMmioSlot.of(0x0a00_1000L, 49))
                .bootargs("console=ttyAMA0 earlycon")
                .initrd(0x4800_0000L, 0x4810_0000L)
                .build();
    }

    static FdtNode root(VmDeviceTreeSpec spec) throws Exception {
        return FdtReader.read(ArmVmDeviceTree.build(spec)).root();
    }

    static FdtProperty prop(FdtNode root, String path, String name) {
        return root.find(path).orElseThrow(() -> new AssertionError("no node " + path))
                .property(name).orElseThrow(() -> new AssertionError("no " + path + " " + name));
    }

    static int[] cells(FdtNode root, String path, String name) {
        return prop(root, path, name).cells().orElseThrow();
    }

    static String string(FdtNode root, String path, String name) {
        return prop(root, path, name).string().orElseThrow();
    }

    static List<String> strings(FdtNode root, String path, String name) {
        return prop(root, path, name).strings().orElseThrow();
    }

    @Test
    void rootDescribesADummyVirtMachineWithTheGicAsInterruptParent() throws Exception {
        FdtNode root = root(virtLike(GIC_V2, 2));
        assertArrayEquals(new int[] {2}, cells(root, "/", "#address-cells"));
        assertArrayEquals(new int[] {2}, cells(root, "/", "#size-cells"));
        assertEquals("linux,dummy-virt", string(root, "/", "compatible"));
        assertEquals("sel4sim", string(root, "/", "model"));
        int gic = cells(root, "/intc@8000000", "phandle")[0];
        assertArrayEquals(new int[] {gic}, cells(root, "/", "interrupt-parent"));
    }

    @Test
    void memoryCpusAndPsci() throws Exception {
        FdtNode root = root(virtLike(GIC_V2, 2));
        assertEquals("memory", string(root, "/memory@40000000", "device_type"));
        assertArrayEquals(new int[] {0, 0x4000_0000, 0, 0x4000_0000}, cells(root, "/memory@40000000", "reg"));

        assertArrayEquals(new int[] {1}, cells(root, "/cpus", "#address-cells"));
        assertArrayEquals(new int[] {0}, cells(root, "/cpus", "#size-cells"));
        assertEquals(2, root.find("/cpus").orElseThrow().children().size());
        for (int i = 0; i < 2; i++) {
            String cpu = "/cpus/cpu@" + i;
            assertEquals("cpu", string(root, cpu, "device_type"));
            assertEquals("arm,armv8", string(root, cpu, "compatible"));
            assertEquals("psci", string(root, cpu, "enable-method"));
            assertArrayEquals(new int[] {i}, cells(root, cpu, "reg"));
        }

        assertEquals(List.of("arm,psci-1.0", "arm,psci-0.2"), strings(root, "/psci", "compatible"));
        assertEquals("hvc", string(root, "/psci", "method"));
    }

    @Test
    void timerListsFourPpisWithCpuMaskOnGicV2() throws Exception {
        FdtNode root = root(virtLike(GIC_V2, 2));
        assertEquals("arm,armv8-timer", string(root, "/timer", "compatible"));
        // GIC_PPI = 1; PPIs 13, 14, 11, 10; flags = CPU mask 0b11 << 8 | IRQ_TYPE_LEVEL_LOW (8)
        assertArrayEquals(new int[] {1, 13, 0x308, 1, 14, 0x308, 1, 11, 0x308, 1, 10, 0x308},
                cells(root, "/timer", "interrupts"));
        assertTrue(root.find("/timer").orElseThrow().property("clock-frequency").isEmpty());
    }

    @Test
    void gicV2NodeHasDistributorAndCpuInterface() throws Exception {
        FdtNode root = root(virtLike(GIC_V2, 1));
        String gic = "/intc@8000000";
        assertEquals("arm,cortex-a15-gic", string(root, gic, "compatible"));
        assertArrayEquals(new int[] {3}, cells(root, gic, "#interrupt-cells"));
        assertEquals(0, prop(root, gic, "interrupt-controller").length());
        assertArrayEquals(new int[] {0, 0x0800_0000, 0, 0x1_0000, 0, 0x0801_0000, 0, 0x1_0000},
                cells(root, gic, "reg"));
        assertArrayEquals(new int[] {1, 13, 0x108, 1, 14, 0x108, 1, 11, 0x108, 1, 10, 0x108},
                cells(root, "/timer", "interrupts"), "one CPU: mask 0b1");
    }

    @Test
    void gicV3NodeSizesTheRedistributorsByCpuCount() throws Exception {
        FdtNode root = root(virtLike(GIC_V3, 4));
        String gic = "/intc@8000000";
        assertEquals("arm,gic-v3", string(root, gic, "compatible"));
        assertArrayEquals(new int[] {3}, cells(root, gic, "#interrupt-cells"));
        assertArrayEquals(new int[] {1}, cells(root, gic, "#redistributor-regions"));
        assertEquals(0, prop(root, gic, "interrupt-controller").length());
        // GICR: 4 CPUs x 128 KiB = 0x80000 from 0x80a0000 (QEMU virt's VIRT_GIC_REDIST)
        assertArrayEquals(new int[] {0, 0x0800_0000, 0, 0x1_0000, 0, 0x080a_0000, 0, 0x8_0000},
                cells(root, gic, "reg"));
        // no CPU mask on a GICv3
        assertArrayEquals(new int[] {1, 13, 8, 1, 14, 8, 1, 11, 8, 1, 10, 8}, cells(root, "/timer", "interrupts"));
    }

    @Test
    void gicV3CpusBeyondSixteenMoveToTheNextCluster() throws Exception {
        FdtNode root = root(VmDeviceTreeSpec.builder(List.of(RAM), 18, GIC_V3).build());
        assertArrayEquals(new int[] {0xf}, cells(root, "/cpus/cpu@f", "reg"));
        assertArrayEquals(new int[] {0x100}, cells(root, "/cpus/cpu@100", "reg"));
        assertArrayEquals(new int[] {0x101}, cells(root, "/cpus/cpu@101", "reg"));
        assertEquals(0x101, GIC_V3.cpuAffinity(17));
        assertEquals(7, GIC_V2.cpuAffinity(7));
    }

    @Test
    void uartRtcAndClock() throws Exception {
        FdtNode root = root(virtLike(GIC_V2, 1));
        int clock = cells(root, "/apb-pclk", "phandle")[0];
        assertEquals("fixed-clock", string(root, "/apb-pclk", "compatible"));
        assertArrayEquals(new int[] {0}, cells(root, "/apb-pclk", "#clock-cells"));
        assertArrayEquals(new int[] {24_000_000}, cells(root, "/apb-pclk", "clock-frequency"));

        String uart = "/pl011@9000000";
        assertEquals(List.of("arm,pl011", "arm,primecell"), strings(root, uart, "compatible"));
        assertArrayEquals(new int[] {0, 0x0900_0000, 0, 0x1000}, cells(root, uart, "reg"));
        assertArrayEquals(new int[] {0, 1, 4}, cells(root, uart, "interrupts"), "INTID 33 = SPI 1, level-high");
        assertArrayEquals(new int[] {clock, clock}, cells(root, uart, "clocks"));
        assertEquals(List.of("uartclk", "apb_pclk"), strings(root, uart, "clock-names"));

        String rtc = "/rtc@9010000";
        assertEquals(List.of("arm,pl031", "arm,primecell"), strings(root, rtc, "compatible"));
        assertArrayEquals(new int[] {0, 2, 4}, cells(root, rtc, "interrupts"));
        assertArrayEquals(new int[] {clock}, cells(root, rtc, "clocks"));
        assertEquals("apb_pclk", string(root, rtc, "clock-names"));
    }

    @Test
    void virtioSlots() throws Exception {
        FdtNode root = root(virtLike(GIC_V2, 1));
        String slot = "/virtio_mmio@a001000";
        assertEquals("virtio,mmio", string(root, slot, "compatible"));
        assertArrayEquals(new int[] {0, 0x0a00_1000, 0, 0x200}, cells(root, slot, "reg"));
        assertArrayEquals(new int[] {0, 17, 4}, cells(root, slot, "interrupts"), "INTID 49 = SPI 17");
        assertEquals(0, prop(root, slot, "dma-coherent").length());
        FdtNode edge = root(VmDeviceTreeSpec.builder(List.of(RAM), 1, GIC_V2)
                .virtio(new VirtioMmioSlot(0x0a00_0000L, 48, IrqTrigger.EDGE_RISING)).build());
        assertArrayEquals(new int[] {0, 16, 1}, cells(edge, "/virtio_mmio@a000000", "interrupts"));
    }

    @Test
    void chosenAndAliases() throws Exception {
        FdtNode root = root(virtLike(GIC_V2, 1));
        assertEquals("console=ttyAMA0 earlycon", string(root, "/chosen", "bootargs"));
        assertEquals("/pl011@9000000", string(root, "/chosen", "stdout-path"));
        assertEquals("/pl011@9000000", string(root, "/aliases", "serial0"));
        assertTrue(root.find("/pl011@9000000").isPresent(), "stdout-path names a node that exists");
        assertEquals(0x4800_0000L, prop(root, "/chosen", "linux,initrd-start").u64().getAsLong());
        assertEquals(0x4810_0000L, prop(root, "/chosen", "linux,initrd-end").u64().getAsLong());

        FdtNode bare = root(VmDeviceTreeSpec.builder(List.of(RAM), 1, GIC_V2).build());
        assertTrue(bare.find("/chosen").orElseThrow().property("linux,initrd-start").isEmpty());
        assertTrue(bare.find("/chosen").orElseThrow().property("stdout-path").isEmpty());
        assertTrue(bare.find("/aliases").isEmpty());
    }

    @Test
    void blobSizeDoesNotDependOnInitrdAddresses() {
        VmDeviceTreeSpec spec = virtLike(GIC_V2, 2);
        int size = ArmVmDeviceTree.build(spec.withInitrd(0x4000_0000L, 0x4000_0000L)).length;
        assertEquals(size, ArmVmDeviceTree.build(spec.withInitrd(0x7000_0000L, 0x7fff_f000L)).length);
    }

    @Test
    void bootCpuIsTheFirstCpusReg() throws Exception {
        FdtTree tree = FdtReader.read(ArmVmDeviceTree.build(virtLike(GIC_V3, 2)));
        assertEquals(0, tree.bootCpuidPhys());
    }

    @Test
    void passthroughNodesFromTheBoard() throws Exception {
        Board board = Boards.load("qemu-arm-virt");
        VmDeviceTreeSpec.Builder builder = VmDeviceTreeSpec.builder(board.memory(), 1,
                GicSpec.fromBoard((Gic) board.interruptController()));
        builder.extraNode(PassthroughNodes.fromBoard(board.device("rtc").orElseThrow()));
        builder.extraNode(PassthroughNodes.fromBoard(board.device("gpio").orElseThrow()));
        FdtNode root = root(builder.build());
        assertEquals(List.of("arm,pl031", "arm,primecell"), strings(root, "/rtc@9010000", "compatible"));
        assertArrayEquals(new int[] {0, 0x0901_0000, 0, 0x1000}, cells(root, "/rtc@9010000", "reg"));
        assertArrayEquals(new int[] {0, 2, 4}, cells(root, "/rtc@9010000", "interrupts"));
        assertArrayEquals(new int[] {ArmVmDeviceTree.APB_PCLK_PHANDLE}, cells(root, "/rtc@9010000", "clocks"));
        assertArrayEquals(new int[] {0, 7, 4}, cells(root, "/gpio@9030000", "interrupts"));
    }

    @Test
    void conflictsInTheDescriptionAreNamed() {
        var overlap = assertThrows(IllegalArgumentException.class, () -> VmDeviceTreeSpec.builder(List.of(RAM), 1,
                GIC_V2).pl011(MmioDeviceSpec.of(0x4000_0000L, 0x1000, 33)).build());
        assertTrue(overlap.getMessage().contains("overlaps"), overlap.getMessage());
        var shared = assertThrows(IllegalArgumentException.class, () -> VmDeviceTreeSpec.builder(List.of(RAM), 1,
                GIC_V2).pl011(MmioDeviceSpec.of(0x0900_0000L, 0x1000, 33))
                .virtio(VirtioMmioSlot.of(0x0a00_0000L, 33)).build());
        assertTrue(shared.getMessage().contains("INTID 33"), shared.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> VmDeviceTreeSpec.builder(List.of(RAM), 9, GIC_V2).build(), "a GICv2 serves 8 CPUs");
        assertThrows(IllegalArgumentException.class,
                () -> VmDeviceTreeSpec.builder(List.of(RAM), 1, GIC_V2).initrd(0x1000, 0x2000).build());
        assertThrows(IllegalArgumentException.class, () -> VirtioMmioSlot.of(0x0a00_0000L, 20), "a PPI");
        assertThrows(IllegalArgumentException.class,
                () -> new VirtioMmioSlot(0x0a00_0000L, 48, IrqTrigger.LEVEL_LOW), "invalid for SPIs");
        VmDeviceTreeSpec twice = VmDeviceTreeSpec.builder(List.of(RAM), 1, GIC_V2)
                .extraNode(FdtNode.of("chosen")).build();
        assertThrows(IllegalArgumentException.class, () -> ArmVmDeviceTree.build(twice), "a node name used twice");
    }

    @Test
    void dtcDecompilesWithoutWarnings() throws Exception {
        Dtc.assumeInstalled();
        for (GicSpec gic : List.of(GIC_V2, GIC_V3)) {
            Dtc.Result r = Dtc.run(ArmVmDeviceTree.build(virtLike(gic, 2)), "dtb", "dts");
            assertEquals(0, r.exitCode(), r.stderr());
            assertEquals("", r.stderr().strip(), "dtc warnings for " + gic);
            // dtc 1.6 prints a string list as "a\0b", later versions as "a", "b"
            String dts = r.text().replace("\\0", "\", \"");
            for (String expected : List.of("compatible = \"linux,dummy-virt\";", "method = \"hvc\";",
                    "enable-method = \"psci\";", "compatible = \"arm,armv8-timer\";",
                    "stdout-path = \"/pl011@9000000\";", "clock-names = \"uartclk\", \"apb_pclk\";",
                    "compatible = \"virtio,mmio\";", "bootargs = \"console=ttyAMA0 earlycon\";")) {
                assertTrue(dts.contains(expected), expected + " in\n" + dts);
            }
            // compiled back, phandles are plain numbers in the source, so dtc's phandle checks warn: exit code only
            Dtc.Result back = Dtc.run(r.stdout(), "dts", "dtb");
            assertEquals(0, back.exitCode(), back.stderr());
        }
    }
}
