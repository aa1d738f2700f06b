package dev.sel4sim.vmm.arm.gic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sel4sim.vmm.arm.CpuTopology;
import dev.sel4sim.vmm.cpu.SysReg;
import dev.sel4sim.vmm.arm.SysRegResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** GICv3 behaviour checked against ARM IHI 0069 register layouts and the sequence Linux's driver runs. */
class GicV3Test {

    static final int GICD_CTLR = 0x0000;
    static final int GICD_TYPER = 0x0004;
    static final int GICD_ISENABLER = 0x0100;
    static final int GICD_IGROUPR = 0x0080;
    static final int GICD_IPRIORITYR = 0x0400;
    static final int GICD_IROUTER = 0x6000;
    static final int GICD_PIDR2 = 0xFFE8;
    static final int GICR_TYPER = 0x0008;
    static final int GICR_WAKER = 0x0014;
    static final int GICR_PIDR2 = 0xFFE8;
    static final int SGI_BASE = 0x10000;
    static final int GICR_IGROUPR0 = SGI_BASE + 0x0080;
    static final int GICR_ISENABLER0 = SGI_BASE + 0x0100;
    static final int GICR_ISPENDR0 = SGI_BASE + 0x0200;
    static final int GICR_ISACTIVER0 = SGI_BASE + 0x0300;
    static final int GICR_IPRIORITYR = SGI_BASE + 0x0400;
    static final int GICR_ICFGR1 = SGI_BASE + 0x0C04;

    private static long read(GicV3 g, int vcpu, SysReg reg) {
        SysRegResult r = g.readSysReg(vcpu, reg);
        return assertInstanceOf(SysRegResult.Value.class, r, reg::toString).value();
    }

    private static void write(GicV3 g, int vcpu, SysReg reg, long value) {
        assertEquals(SysRegResult.WRITTEN, g.writeSysReg(vcpu, reg, value), reg::toString);
    }

    /** What Linux does on each CPU: wake the redistributor, group 1 everywhere, PMR 0xf0, IGRPEN1. */
    private static GicV3 linuxInit(CpuTopology topology) {
        GicV3 g = new GicV3(topology, 160);
        g.writeDistributor(GICD_CTLR, 4, 0x13); // ARE_NS | ENABLE_G1A | ENABLE_G1
        for (int i = 32; i < 160; i += 32) {
            g.writeDistributor(GICD_IGROUPR + i / 8, 4, 0xFFFF_FFFFL);
        }
        for (int v = 0; v < topology.count(); v++) {
            g.writeRedistributor(v, GICR_WAKER, 4, 0);
            g.writeRedistributor(v, GICR_IGROUPR0, 4, 0xFFFF_FFFFL);
            g.writeRedistributor(v, GICR_ISENABLER0, 4, 0xFFFF);
            write(g, v, Icc.PMR_EL1, 0xF0);
            write(g, v, Icc.BPR1_EL1, 0);
            write(g, v, Icc.CTLR_EL1, 0);
            write(g, v, Icc.IGRPEN1_EL1, 1);
        }
        return g;
    }

    @Test
    void identificationLinuxChecks() {
        GicV3 g = new GicV3(CpuTopology.linear(2, 16), 160);
        assertEquals(0x30, g.readDistributor(GICD_PIDR2, 4) & 0xF0, "GICD_PIDR2.ArchRev = GICv3");
        assertEquals(0x30, g.readRedistributor(1, GICR_PIDR2, 4) & 0xF0, "GICR_PIDR2.ArchRev = GICv3");
        long typer = g.readDistributor(GICD_TYPER, 4);
        assertEquals(4, typer & 0x1F, "ITLinesNumber for 160 INTIDs");
        assertEquals(0, typer & (1 << 17), "no LPIs");
        assertEquals(9, (typer >>> 19) & 0x1F, "10 INTID bits");
        assertEquals(0x43B, g.readDistributor(0x0008, 4) & 0xFFF);
        g.writeDistributor(GICD_CTLR, 4, 0x13);
        long ctlr = g.readDistributor(GICD_CTLR, 4);
        assertEquals(0x13, ctlr & 0x13, "group enables and ARE");
        assertEquals(1 << 6, ctlr & (1 << 6), "DS: one security state");
        assertEquals(0, ctlr & (1L << 31), "RWP never busy");
    }

    @Test
    void redistributorTyperGivesAffinityProcessorNumberAndLast() {
        CpuTopology t = new CpuTopology(List.of(0x0L, 0x1L, 0x1_0002_0301L));
        GicV3 g = new GicV3(t, 64);
        assertEquals(0x0, g.readRedistributor(0, GICR_TYPER, 8) & 0x10, "not last");
        long typer2 = g.readRedistributor(2, GICR_TYPER, 8);
        assertEquals(0x0102_0301L, typer2 >>> 32, "Aff3.Aff2.Aff1.Aff0");
        assertEquals(2, (typer2 >>> 8) & 0xFFFF, "Processor_Number");
        assertEquals(0x10, typer2 & 0x10, "Last");
        // the region view: frame n is VCPU n, 128 KiB apart
        assertEquals(typer2, g.readRedistributorRegion(2 * 0x20000 + GICR_TYPER, 8));
        assertEquals(3 * 0x20000, g.redistributorRegionSize());
        assertEquals(0, g.readRedistributorRegion(3 * 0x20000 + GICR_TYPER, 8));
    }

    @Test
    void wakerHandshake() {
        GicV3 g = new GicV3(CpuTopology.linear(1, 16), 64);
        assertEquals(0b110, g.readRedistributor(0, GICR_WAKER, 4), "ProcessorSleep and ChildrenAsleep at reset");
        long w = g.readRedistributor(0, GICR_WAKER, 4);
        g.writeRedistributor(0, GICR_WAKER, 4, w & ~0b10);
        assertEquals(0, g.readRedistributor(0, GICR_WAKER, 4) & 0b100, "ChildrenAsleep clears");
        g.writeRedistributor(0, GICR_WAKER, 4, 0b10);
        assertEquals(0b110, g.readRedistributor(0, GICR_WAKER, 4));
    }

    @Test
    void sleepingRedistributorForwardsNothing() {
        GicV3 g = linuxInit(CpuTopology.linear(1, 16));
        g.writeRedistributor(0, GICR_IPRIORITYR + 27, 1, 0xA0);
        g.writeRedistributor(0, GICR_ISENABLER0, 4, 1L << 27);
        g.setPpiLevel(0, 27, true);
        assertTrue(g.irqPending(0));
        g.writeRedistributor(0, GICR_WAKER, 4, 0b10);
        assertFalse(g.irqPending(0));
        assertEquals(1023, read(g, 0, Icc.IAR1_EL1));
    }

    @Test
    void cpuInterfaceIdentificationAsLinuxReadsIt() {
        GicV3 g = new GicV3(CpuTopology.linear(1, 16), 64);
        write(g, 0, Icc.SRE_EL1, 0);
        assertEquals(1, read(g, 0, Icc.SRE_EL1) & 1, "SRE stays set");
        long ctlr = read(g, 0, Icc.CTLR_EL1);
        assertEquals(4, (ctlr >>> 8) & 7, "PRIbits = 5 - 1");
        assertEquals(1L << 18, ctlr & (1L << 18), "RSS, matching GICD_TYPER.RSS");
        // Linux's group 0 probe writes BIT(8 - pribits) to PMR and expects it back
        write(g, 0, Icc.PMR_EL1, 1 << 3);
        assertEquals(0x08, read(g, 0, Icc.PMR_EL1));
        write(g, 0, Icc.PMR_EL1, 0xFF);
        assertEquals(0xF8, read(g, 0, Icc.PMR_EL1));
        write(g, 0, Icc.BPR1_EL1, 0);
        assertEquals(3, read(g, 0, Icc.BPR1_EL1), "group 1 minimum binary point");
        write(g, 0, Icc.BPR0_EL1, 0);
        assertEquals(2, read(g, 0, Icc.BPR0_EL1));
        write(g, 0, Icc.AP0R0_EL1, 0);
        write(g, 0, Icc.AP1R0_EL1, 0);
        assertEquals(0xFF, read(g, 0, Icc.RPR_EL1));
    }

    @Test
    void timerPpiLevelAcknowledgeAndEoi() {
        GicV3 g = linuxInit(CpuTopology.linear(2, 16));
        assertEquals(0, g.readRedistributor(0, GICR_ICFGR1, 4) & (2L << 22), "PPI 27 level-sensitive");
        g.writeRedistributor(0, GICR_IPRIORITYR + 27, 1, 0xA0);
        g.setPpiLevel(0, 27, true);
        assertFalse(g.irqPending(0), "PPI 27 not enabled yet");
        g.writeRedistributor(0, GICR_ISENABLER0, 4, 1L << 27);
        assertTrue(g.irqPending(0));
        assertFalse(g.irqPending(1));
        assertEquals(27, read(g, 0, Icc.HPPIR1_EL1));
        assertEquals(27, read(g, 0, Icc.IAR1_EL1));
        assertEquals(0xA0, read(g, 0, Icc.RPR_EL1));
        assertEquals(1L << (0xA0 >> 3), read(g, 0, Icc.AP1R0_EL1), "bit n for priority n << 3");
        assertFalse(g.irqPending(0));
        write(g, 0, Icc.EOIR1_EL1, 27);
        assertEquals(0xFF, read(g, 0, Icc.RPR_EL1));
        assertTrue(g.irqPending(0), "timer line still high");
        g.setPpiLevel(0, 27, false);
        assertFalse(g.irqPending(0));
        assertEquals(1023, read(g, 0, Icc.IAR1_EL1));
    }

    @Test
    void hppirIgnoresTheMaskButIarHonoursIt() {
        GicV3 g = linuxInit(CpuTopology.linear(1, 16));
        g.writeRedistributor(0, GICR_IPRIORITYR + 20, 1, 0xC0);
        g.writeRedistributor(0, GICR_ISENABLER0, 4, 1L << 20);
        g.setPpiLevel(0, 20, true);
        write(g, 0, Icc.PMR_EL1, 0xC0);
        assertFalse(g.irqPending(0));
        assertEquals(20, read(g, 0, Icc.HPPIR1_EL1));
        assertEquals(1023, read(g, 0, Icc.IAR1_EL1));
        assertEquals(1023, read(g, 0, Icc.HPPIR0_EL1), "not a group 0 interrupt");
    }

    @Test
    void sgi1rRoutesByAffinity() {
        GicV3 g = linuxInit(CpuTopology.linear(20, 16)); // VCPU 17 is Aff1 = 1, Aff0 = 1
        List<Integer> woken = new ArrayList<>();
        g.setListener((vcpu, irq, fiq) -> {
            if (irq) {
                woken.add(vcpu);
            }
        });
        long sgi5ToCluster1Cpu1 = (5L << 24) | (1L << 16) | 0b10;
        write(g, 0, Icc.SGI1R_EL1, sgi5ToCluster1Cpu1);
        assertEquals(List.of(17), woken);
        assertFalse(g.irqPending(1), "Aff1 0 Aff0 1 is not addressed");
        assertEquals(1L << 5, g.readRedistributor(17, GICR_ISPENDR0, 4));
        assertEquals(5, read(g, 17, Icc.IAR1_EL1), "no source CPU field on GICv3");
    }

    @Test
    void sgi1rIrmTargetsEveryoneButTheSender() {
        GicV3 g = linuxInit(CpuTopology.linear(3, 16));
        write(g, 1, Icc.SGI1R_EL1, (2L << 24) | (1L << 40));
        assertTrue(g.irqPending(0));
        assertFalse(g.irqPending(1));
        assertTrue(g.irqPending(2));
    }

    @Test
    void sgi1rRangeSelectorExtendsAff0() {
        GicV3 g = linuxInit(new CpuTopology(List.of(0x0L, 0x12L))); // Aff0 0x12 = RS 1, bit 2
        write(g, 0, Icc.SGI1R_EL1, (1L << 24) | (1L << 44) | 0b100);
        assertTrue(g.irqPending(1));
        write(g, 1, Icc.SGI1R_EL1, (1L << 24) | 0b001); // RS 0, bit 0: Aff0 0 = VCPU 0
        assertTrue(g.irqPending(0));
    }

    @Test
    void sgiIsGeneratedOnlyForTheTargetsGroup() {
        GicV3 g = linuxInit(CpuTopology.linear(2, 16));
        g.writeRedistributor(1, GICR_IGROUPR0, 4, 0xFFFF_FFFFL & ~(1L << 4)); // SGI 4 group 0 on VCPU 1
        write(g, 0, Icc.SGI1R_EL1, (4L << 24) | 0b10);
        assertEquals(0, g.readRedistributor(1, GICR_ISPENDR0, 4));
        write(g, 0, Icc.SGI0R_EL1, (4L << 24) | 0b10);
        assertEquals(1L << 4, g.readRedistributor(1, GICR_ISPENDR0, 4));
        assertFalse(g.irqPending(1), "group 0 disabled at the CPU interface");
        write(g, 1, Icc.IGRPEN0_EL1, 1);
        assertTrue(g.fiqPending(1), "group 0 is FIQ on a GICv3");
        assertFalse(g.irqPending(1));
        assertEquals(1023, read(g, 1, Icc.IAR1_EL1));
        assertEquals(4, read(g, 1, Icc.IAR0_EL1));
    }

    @Test
    void spiFollowsIrouter() {
        GicV3 g = linuxInit(CpuTopology.linear(2, 16));
        g.writeDistributor(GICD_ISENABLER + 4, 4, 1L << 8);
        g.writeDistributor(GICD_IPRIORITYR + 40, 1, 0xA0);
        g.setLevel(40, true);
        assertTrue(g.irqPending(0), "IROUTER resets to affinity 0.0.0.0");
        g.writeDistributor(GICD_IROUTER + 40 * 8, 8, 0x8000_0001L); // IRM set: RAZ/WI here
        assertEquals(0x1, g.readDistributor(GICD_IROUTER + 40 * 8, 8));
        assertFalse(g.irqPending(0));
        assertTrue(g.irqPending(1));
        assertEquals(40, read(g, 1, Icc.IAR1_EL1));
        g.writeDistributor(GICD_IROUTER + 40 * 8, 8, 0x7_0000_0000L); // Aff3 7: nobody
        assertEquals(0x7_0000_0000L, g.readDistributor(GICD_IROUTER + 40 * 8, 8));
    }

    @Test
    void privateInterruptsAreNotInTheDistributor() {
        GicV3 g = new GicV3(CpuTopology.linear(1, 16), 64);
        g.writeDistributor(GICD_ISENABLER, 4, 0xFFFF_FFFFL);
        assertEquals(0, g.readDistributor(GICD_ISENABLER, 4));
        assertEquals(0, g.readRedistributor(0, GICR_ISENABLER0, 4));
        assertEquals(0, g.readDistributor(GICD_IROUTER + 8, 8), "no IROUTER for INTID 1");
        assertEquals(0, g.readDistributor(0x0800, 4), "ITARGETSR is RES0 with affinity routing");
    }

    @Test
    void eoiModeOneAndDir() {
        GicV3 g = linuxInit(CpuTopology.linear(1, 16));
        write(g, 0, Icc.CTLR_EL1, 0b10);
        assertEquals(0b10, read(g, 0, Icc.CTLR_EL1) & 0b11);
        g.writeRedistributor(0, GICR_IPRIORITYR + 3, 1, 0x80);
        write(g, 0, Icc.SGI1R_EL1, (3L << 24) | 1);
        assertEquals(3, read(g, 0, Icc.IAR1_EL1));
        write(g, 0, Icc.EOIR1_EL1, 3);
        assertEquals(0xFF, read(g, 0, Icc.RPR_EL1));
        assertEquals(1L << 3, g.readRedistributor(0, GICR_ISACTIVER0, 4));
        write(g, 0, Icc.DIR_EL1, 3);
        assertEquals(0, g.readRedistributor(0, GICR_ISACTIVER0, 4));
    }

    @Test
    void runningPriorityPreemptionWithGroupOneBinaryPoint() {
        GicV3 g = linuxInit(CpuTopology.linear(1, 16));
        g.writeRedistributor(0, GICR_IPRIORITYR + 1, 1, 0x80);
        g.writeRedistributor(0, GICR_IPRIORITYR + 2, 1, 0x78);
        g.writeRedistributor(0, GICR_IPRIORITYR + 6, 1, 0x70);
        write(g, 0, Icc.SGI1R_EL1, (1L << 24) | 1);
        assertEquals(1, read(g, 0, Icc.IAR1_EL1));
        assertEquals(0x80, read(g, 0, Icc.RPR_EL1));
        write(g, 0, Icc.SGI1R_EL1, (2L << 24) | 1);
        // binary point 3 (group priority bits [7:4]): 0x78 is group priority 0x70, above the running 0x80
        assertTrue(g.irqPending(0));
        write(g, 0, Icc.EOIR1_EL1, 1);
        // binary point 6 (bit [7] only): 0x78 and 0x70 are both group priority 0x00
        write(g, 0, Icc.BPR1_EL1, 6);
        assertEquals(2, read(g, 0, Icc.IAR1_EL1));
        assertEquals(0x00, read(g, 0, Icc.RPR_EL1));
        write(g, 0, Icc.SGI1R_EL1, (6L << 24) | 1);
        assertFalse(g.irqPending(0), "0x70 does not preempt within the same group priority");
        write(g, 0, Icc.EOIR1_EL1, 2);
        assertEquals(6, read(g, 0, Icc.IAR1_EL1));
    }

    @Test
    void unknownAndMisdirectedSystemRegisters() {
        GicV3 g = new GicV3(CpuTopology.linear(1, 16), 64);
        SysReg vbar = SysReg.of(3, 0, 12, 0, 0);
        assertInstanceOf(SysRegResult.Unknown.class, g.readSysReg(0, vbar));
        assertInstanceOf(SysRegResult.Unknown.class, g.writeSysReg(0, SysReg.of(3, 4, 12, 9, 5), 1), "ICC_SRE_EL2");
        assertInstanceOf(SysRegResult.Refused.class, g.writeSysReg(0, Icc.IAR1_EL1, 0));
        assertInstanceOf(SysRegResult.Refused.class, g.readSysReg(0, Icc.EOIR1_EL1));
        assertInstanceOf(SysRegResult.Refused.class, g.readSysReg(0, Icc.SGI1R_EL1));
        assertEquals(0, read(g, 0, SysReg.of(3, 0, 12, 9, 3)), "ICC_AP1R3_EL1 with 5 priority bits");
        write(g, 0, Icc.EOIR1_EL1, 0xFF_FFFF);
        write(g, 0, Icc.DIR_EL1, -1);
    }

    @Test
    void aSecondVcpuIsWokenBySgiThroughTheListener() {
        GicV3 g = linuxInit(CpuTopology.linear(2, 16));
        List<String> events = new ArrayList<>();
        g.setListener((vcpu, irq, fiq) -> events.add(vcpu + (irq ? "+" : "-")));
        write(g, 0, Icc.SGI1R_EL1, (0L << 24) | 0b10);
        assertEquals(List.of("1+"), events);
        assertEquals(0, read(g, 1, Icc.IAR1_EL1));
        assertEquals(List.of("1+", "1-"), events);
    }
}
