package dev.sel4sim.boards;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Spot checks against the device trees and seL4 platform files each board cites. */
class BoardFactsTest {

    private static Gic gic(Board b) {
        return (Gic) b.interruptController();
    }

    private static GenericTimer timer(Board b) {
        return (GenericTimer) b.timer();
    }

    @Test
    void qemuArmVirt() {
        Board b = Boards.load("qemu-arm-virt");
        assertEquals(Architecture.AARCH64, b.architecture());
        assertEquals("cortex-a53", b.cpu().model());
        assertEquals(List.of(new MemoryRegion(0x4000_0000L, 1L << 30)), b.memory());
        Gic gic = gic(b);
        assertEquals(2, gic.version());
        assertEquals(0x0800_0000L, gic.distributor().base());
        assertEquals(0x0801_0000L, gic.cpuInterface().orElseThrow().base());
        assertEquals(0x0803_0000L, gic.hypInterface().orElseThrow().base());
        assertEquals(0x0804_0000L, gic.vcpuInterface().orElseThrow().base());
        assertEquals(256, gic.spiCount().orElseThrow());
        Uart console = b.consoleUart();
        assertEquals(UartKind.PL011, console.kind());
        assertEquals(0x0900_0000L, console.base());
        assertEquals(33, console.irq(), "SPI 1");
        assertEquals(27, timer(b).virtualIntid());
        assertEquals(62_500_000L, timer(b).counterFrequencyHz());
        assertEquals(40, b.stage2().paBits());
        assertEquals(3, b.stage2().levels());
        assertEquals(160, b.physicalIrqCount());
        assertEquals(SmcMode.DENY, b.smc().mode());
        assertEquals(48, b.device("virtio-mmio0").orElseThrow().irqs().get(0));
    }

    @Test
    void zcu102() {
        Board b = Boards.load("zcu102");
        assertEquals(4, b.cpu().count());
        assertEquals("cortex-a53", b.cpu().model());
        assertEquals(0xf901_0000L, gic(b).distributor().base());
        assertEquals(0xf902_0000L, gic(b).cpuInterface().orElseThrow().base());
        assertEquals(0xf904_0000L, gic(b).hypInterface().orElseThrow().base());
        assertEquals(0xf906_0000L, gic(b).vcpuInterface().orElseThrow().base());
        Uart console = b.consoleUart();
        assertEquals("uart0", console.name());
        assertEquals(UartKind.CDNS, console.kind());
        assertEquals(0xff00_0000L, console.base());
        assertEquals(53, console.irq());
        assertEquals(4L << 30, b.ramSize());
        assertTrue(b.isRam(0x8_0000_0000L));
        assertEquals(100_000_000L, timer(b).counterFrequencyHz());
        assertEquals(SmcMode.ALLOW_LIST, b.smc().mode());
        assertTrue(b.smc().allows(0xc200_0001L));
        assertFalse(b.smc().allows(0xc200_0006L));
        assertEquals(95, b.device("ethernet").orElseThrow().irqs().get(0));
    }

    @Test
    void ultra96() {
        Board b = Boards.load("ultra96");
        assertEquals("uart1", b.consoleUart().name());
        assertEquals(0xff01_0000L, b.consoleUart().base());
        assertEquals(54, b.consoleUart().irq());
        assertEquals(2L << 30, b.ramSize());
    }

    @Test
    void tx1() {
        Board b = Boards.load("tx1");
        assertEquals("cortex-a57", b.cpu().model());
        assertEquals(0x5004_1000L, gic(b).distributor().base());
        assertEquals(0x7000_6000L, b.consoleUart().base());
        assertEquals(68, b.consoleUart().irq());
        assertEquals(UartKind.TEGRA, b.consoleUart().kind());
        assertEquals(44, b.stage2().paBits());
        assertEquals(4, b.stage2().levels());
        assertEquals(12_000_000L, timer(b).counterFrequencyHz());
    }

    @Test
    void tx2() {
        Board b = Boards.load("tx2");
        assertEquals(6, b.cpu().count());
        assertEquals(4, b.cpu().kernelCores());
        assertEquals("cpu@2", b.cpu().bootCpu());
        assertEquals(2, b.cpu().clusters().size());
        assertEquals(0x0388_1000L, gic(b).distributor().base());
        assertEquals(0x0388_6000L, gic(b).vcpuInterface().orElseThrow().base());
        assertEquals(0x0310_0000L, b.consoleUart().base());
        assertEquals(144, b.consoleUart().irq());
        assertEquals(4, b.stage2().levels());
        assertEquals(4, b.memory().size());
        assertEquals(384, b.physicalIrqCount());
    }

    @Test
    void tk1IsArmv7() {
        Board b = Boards.load("tk1");
        assertEquals(Architecture.AARCH32, b.architecture());
        assertEquals("cortex-a15", b.cpu().model());
        assertEquals(0x5004_2000L, gic(b).cpuInterface().orElseThrow().base());
        assertEquals(0x1000, gic(b).cpuInterface().orElseThrow().size());
        assertEquals("uartd", b.consoleUart().name());
        assertEquals(0x7000_6300L, b.consoleUart().base());
        assertEquals(122, b.consoleUart().irq());
        assertEquals(new MemoryRegion(0x8000_0000L, 0x8000_0000L), b.memory().get(0));
    }

    @Test
    void exynos5422() {
        Board b = Boards.load("exynos5422");
        assertEquals(Architecture.AARCH32, b.architecture());
        assertEquals(8, b.cpu().count());
        assertEquals("cpu@100", b.cpu().bootCpu());
        assertEquals(0x1048_1000L, gic(b).distributor().base());
        assertEquals(0x12c2_0000L, b.consoleUart().base());
        assertEquals(85, b.consoleUart().irq());
        assertEquals(UartKind.EXYNOS, b.consoleUart().kind());
        assertEquals(24_000_000L, timer(b).counterFrequencyHz());
    }

    @Test
    void imx8mqEvkIsGicv3() {
        Board b = Boards.load("imx8mq-evk");
        Gic gic = gic(b);
        assertEquals(3, gic.version());
        assertEquals(0x3880_0000L, gic.distributor().base());
        assertEquals(new MemoryRegion(0x3888_0000L, 0xc0000), gic.redistributor().orElseThrow());
        assertEquals(0x3086_0000L, b.consoleUart().base());
        assertEquals(58, b.consoleUart().irq());
        assertEquals(3L << 30, b.ramSize());
        assertEquals(40, b.stage2().paBits());
    }

    @Test
    void maaxboard() {
        Board b = Boards.load("maaxboard");
        assertEquals(3, gic(b).version());
        assertEquals(0x3102_0000L, gic(b).vcpuInterface().orElseThrow().base());
        assertEquals(new MemoryRegion(0x4000_0000L, 0x8000_0000L), b.memory().get(0));
        assertEquals(UartKind.IMX, b.consoleUart().kind());
        assertTrue(b.smc().allows(0xc200_0006L));
        SmcFunction soc = b.smc().functions().get(0);
        assertTrue(soc.fastCall());
        assertTrue(soc.smc64());
        assertEquals(2, soc.owner(), "SiP service");
        assertEquals(List.of(150, 151, 152), b.device("ethernet").orElseThrow().irqs());
    }

    @Test
    void odroidc4() {
        Board b = Boards.load("odroidc4");
        assertEquals("cortex-a55", b.cpu().model());
        assertEquals(0xffc0_1000L, gic(b).distributor().base());
        assertEquals(0xff80_3000L, b.consoleUart().base());
        assertEquals(225, b.consoleUart().irq());
        assertEquals(UartKind.MESON, b.consoleUart().kind());
        assertEquals(0xf580_0000L, b.ramSize());
        assertEquals(3, b.stage2().levels());
    }

    @Test
    void rpi4() {
        Board b = Boards.load("rpi4");
        assertEquals("cortex-a72", b.cpu().model());
        assertEquals(0xff84_1000L, gic(b).distributor().base());
        assertEquals(UartKind.BCM2835_AUX, b.consoleUart().kind());
        assertEquals(0xfe21_5040L, b.consoleUart().base());
        assertEquals(125, b.consoleUart().irq());
        assertEquals(44, b.stage2().paBits());
        assertEquals(4, b.stage2().levels());
        assertEquals(54_000_000L, timer(b).counterFrequencyHz());
    }

    @Test
    void pc99() {
        Board b = Boards.load("pc99");
        assertEquals(Architecture.X86_64, b.architecture());
        Apic apic = (Apic) b.interruptController();
        assertEquals(0xfec0_0000L, apic.ioapic().base());
        assertEquals(0xfee0_0000L, apic.lapic().base());
        X86Timers t = (X86Timers) b.timer();
        assertEquals(0x40, t.pitIoPort());
        assertEquals(0, t.pitIrq());
        assertEquals(0xfed0_0000L, t.hpet().base());
        assertEquals(0xfee0_0000L, t.lapicBase());
        Uart com1 = b.consoleUart();
        assertEquals(AddressSpace.IO_PORT, com1.space());
        assertEquals(0x3f8, com1.base());
        assertEquals(4, com1.irq());
        assertEquals(Stage2.Kind.X86_EPT, b.stage2().kind());
        assertEquals(4, b.stage2().levels());
    }
}
