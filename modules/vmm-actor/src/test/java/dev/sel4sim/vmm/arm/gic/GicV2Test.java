package dev.sel4sim.vmm.arm.gic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** GICv2 behaviour checked against ARM IHI 0048B register layouts and the state machine it describes. */
class GicV2Test {

    // GICD offsets (IHI 0048B table 4-1)
    static final int GICD_CTLR = 0x000;
    static final int GICD_TYPER = 0x004;
    static final int GICD_IIDR = 0x008;
    static final int GICD_IGROUPR = 0x080;
    static final int GICD_ISENABLER = 0x100;
    static final int GICD_ICENABLER = 0x180;
    static final int GICD_ISPENDR = 0x200;
    static final int GICD_ICPENDR = 0x280;
    static final int GICD_ISACTIVER = 0x300;
    static final int GICD_IPRIORITYR = 0x400;
    static final int GICD_ITARGETSR = 0x800;
    static final int GICD_ICFGR = 0xC00;
    static final int GICD_SGIR = 0xF00;
    static final int GICD_CPENDSGIR = 0xF10;
    static final int GICD_SPENDSGIR = 0xF20;
    // GICC offsets (table 4-2)
    static final int GICC_CTLR = 0x00;
    static final int GICC_PMR = 0x04;
    static final int GICC_BPR = 0x08;
    static final int GICC_IAR = 0x0C;
    static final int GICC_EOIR = 0x10;
    static final int GICC_RPR = 0x14;
    static final int GICC_HPPIR = 0x18;
    static final int GICC_AIAR = 0x20;
    static final int GICC_APR0 = 0xD0;
    static final int GICC_IIDR = 0xFC;
    static final int GICC_DIR = 0x1000;

    private static long rd(GicV2 g, int vcpu, int off) {
        return g.readDistributor(vcpu, off, 4);
    }

    private static void wd(GicV2 g, int vcpu, int off, long v) {
        g.writeDistributor(vcpu, off, 4, v);
    }

    private static long rc(GicV2 g, int vcpu, int off) {
        return g.readCpuInterface(vcpu, off, 4);
    }

    private static void wc(GicV2 g, int vcpu, int off, long v) {
        g.writeCpuInterface(vcpu, off, 4, v);
    }

    /** Distributor and every CPU interface on for group 0, PMR letting everything above 0xF0 through. */
    private static GicV2 enabled(int vcpus) {
        GicV2 g = new GicV2(vcpus, 160);
        wd(g, 0, GICD_CTLR, 1);
        for (int v = 0; v < vcpus; v++) {
            wc(g, v, GICC_PMR, 0xF0);
            wc(g, v, GICC_CTLR, 1);
        }
        return g;
    }

    /** An SPI routed to CPU interface 0, enabled, with a priority and trigger mode. */
    private static void spi(GicV2 g, int intid, int priority, boolean edge) {
        g.writeDistributor(0, GICD_IPRIORITYR + intid, 1, priority);
        g.writeDistributor(0, GICD_ITARGETSR + intid, 1, 1);
        int field = intid % 16;
        long cfg = rd(g, 0, GICD_ICFGR + intid / 16 * 4);
        cfg = edge ? cfg | (2L << (2 * field)) : cfg & ~(2L << (2 * field));
        wd(g, 0, GICD_ICFGR + intid / 16 * 4, cfg);
        wd(g, 0, GICD_ISENABLER + intid / 32 * 4, 1L << (intid % 32));
    }

    @Test
    void identificationRegisters() {
        GicV2 g = new GicV2(2, 160);
        // ITLinesNumber = 160/32 - 1 = 4 in [4:0]; CPUNumber = 2 - 1 in [7:5]; SecurityExtn [10] = 0
        assertEquals(0x24, rd(g, 0, GICD_TYPER));
        assertEquals(0x43B, rd(g, 0, GICD_IIDR) & 0xFFF);
        // GICC_IIDR: architecture version 2 in [19:16], ARM in [11:0]; Linux tests (v & 0xff0fff) == 0x02043B
        assertEquals(0x02043B, rc(g, 0, GICC_IIDR) & 0xFF0FFF);
        assertEquals(0x20, g.readDistributor(0, 0xFE8, 4) & 0xF0, "ICPIDR2.ArchRev = 2");
    }

    @Test
    void lineCountRoundsUpToWholeBlocksOf32() {
        assertEquals(64, new GicV2(1, 40).lineCount());
        assertEquals(1020, new GicV2(1, 1020).lineCount());
        assertEquals(0x1F, rd(new GicV2(1, 1000), 0, GICD_TYPER) & 0x1F);
    }

    @Test
    void targetRegistersOfBankedInterruptsNameTheReader() {
        GicV2 g = new GicV2(2, 160);
        assertEquals(0x01010101, rd(g, 0, GICD_ITARGETSR));
        assertEquals(0x02020202, rd(g, 1, GICD_ITARGETSR + 28));
        // a uniprocessor GIC reads them as zero (Linux then sends IPIs with the "self" filter)
        assertEquals(0, rd(new GicV2(1, 160), 0, GICD_ITARGETSR));
        // SPI targets are stored per byte; bits for CPU interfaces that do not exist read as zero
        g.writeDistributor(0, GICD_ITARGETSR + 33, 1, 0xFF);
        assertEquals(0x0300, rd(g, 0, GICD_ITARGETSR + 32));
    }

    @Test
    void edgeTriggeredSpiPendAcknowledgeEoi() {
        GicV2 g = enabled(1);
        spi(g, 40, 0xA0, true);
        assertFalse(g.irqPending(0));
        g.setLevel(40, true);
        assertTrue(g.irqPending(0));
        assertEquals(1L << 8, rd(g, 0, GICD_ISPENDR + 4), "pending bit of INTID 40");
        assertEquals(40, rc(g, 0, GICC_HPPIR));
        assertEquals(40, rc(g, 0, GICC_IAR));
        assertEquals(0xA0, rc(g, 0, GICC_RPR));
        assertEquals(1L << 8, rd(g, 0, GICD_ISACTIVER + 4));
        assertEquals(0, rd(g, 0, GICD_ISPENDR + 4), "the edge was consumed by the acknowledge");
        assertFalse(g.irqPending(0));
        assertEquals(1023, rc(g, 0, GICC_IAR));
        wc(g, 0, GICC_EOIR, 40);
        assertEquals(0xFF, rc(g, 0, GICC_RPR));
        assertEquals(0, rd(g, 0, GICD_ISACTIVER + 4));
        assertFalse(g.irqPending(0), "line still high but no new edge");
        g.setLevel(40, false);
        g.setLevel(40, true);
        assertTrue(g.irqPending(0));
    }

    @Test
    void levelSensitiveSpiStaysPendingWhileTheLineIsHigh() {
        GicV2 g = enabled(1);
        spi(g, 41, 0xA0, false);
        g.setLevel(41, true);
        assertEquals(41, rc(g, 0, GICC_IAR));
        assertEquals(1L << 9, rd(g, 0, GICD_ISPENDR + 4), "active and pending");
        assertEquals(1L << 9, rd(g, 0, GICD_ISACTIVER + 4));
        assertFalse(g.irqPending(0), "an active interrupt is not signalled again");
        wc(g, 0, GICC_EOIR, 41);
        assertTrue(g.irqPending(0), "the device still asserts the line");
        // ICPENDR does not clear a level-sensitive interrupt whose line is high
        wd(g, 0, GICD_ICPENDR + 4, 1L << 9);
        assertTrue(g.irqPending(0));
        g.setLevel(41, false);
        assertFalse(g.irqPending(0));
        // a software-pended level interrupt stays pending until acknowledged or cleared
        wd(g, 0, GICD_ISPENDR + 4, 1L << 9);
        assertTrue(g.irqPending(0));
        wd(g, 0, GICD_ICPENDR + 4, 1L << 9);
        assertFalse(g.irqPending(0));
    }

    @Test
    void priorityMaskAdmitsOnlyStrictlyHigherPriorities() {
        GicV2 g = enabled(1);
        spi(g, 50, 0xA0, false);
        g.setLevel(50, true);
        wc(g, 0, GICC_PMR, 0xA0);
        assertFalse(g.irqPending(0));
        assertEquals(1023, rc(g, 0, GICC_IAR));
        assertEquals(50, rc(g, 0, GICC_HPPIR), "HPPIR ignores the priority mask");
        wc(g, 0, GICC_PMR, 0xA8);
        assertTrue(g.irqPending(0));
        // five implemented bits: the low three read as zero
        wc(g, 0, GICC_PMR, 0xFF);
        assertEquals(0xF8, rc(g, 0, GICC_PMR));
        g.writeDistributor(0, GICD_IPRIORITYR + 50, 1, 0xFF);
        assertEquals(0xF8, g.readDistributor(0, GICD_IPRIORITYR + 50, 1));
    }

    @Test
    void runningPriorityDecidesPreemption() {
        GicV2 g = enabled(1);
        spi(g, 60, 0x80, false);
        spi(g, 61, 0x80, false);
        spi(g, 62, 0x78, false);
        g.setLevel(60, true);
        assertEquals(60, rc(g, 0, GICC_IAR));
        g.setLevel(61, true);
        assertFalse(g.irqPending(0), "equal priority does not preempt");
        g.setLevel(62, true);
        assertTrue(g.irqPending(0), "0x78 preempts a running 0x80");
        assertEquals(62, rc(g, 0, GICC_IAR));
        assertEquals(0x78, rc(g, 0, GICC_RPR));
        // active priorities: bit n stands for priority n << 3
        assertEquals((1L << (0x80 >> 3)) | (1L << (0x78 >> 3)), rc(g, 0, GICC_APR0));
        g.setLevel(62, false);
        wc(g, 0, GICC_EOIR, 62);
        assertEquals(0x80, rc(g, 0, GICC_RPR), "priority drop restores the preempted level");
        g.setLevel(60, false);
        wc(g, 0, GICC_EOIR, 60);
        assertEquals(0xFF, rc(g, 0, GICC_RPR));
        assertEquals(61, rc(g, 0, GICC_IAR));
    }

    @Test
    void binaryPointGroupsPrioritiesForPreemption() {
        GicV2 g = enabled(1);
        wc(g, 0, GICC_BPR, 0);
        assertEquals(2, rc(g, 0, GICC_BPR), "raised to the minimum binary point for 5 priority bits");
        wc(g, 0, GICC_BPR, 5); // group priority = bits [7:6]
        spi(g, 70, 0x60, false);
        spi(g, 71, 0x50, false);
        g.setLevel(70, true);
        assertEquals(70, rc(g, 0, GICC_IAR));
        g.setLevel(71, true);
        assertEquals(0x40, rc(g, 0, GICC_RPR), "the running priority is the group priority");
        assertFalse(g.irqPending(0), "0x50 and 0x60 share group priority 0x40");
        spi(g, 72, 0x38, false);
        g.setLevel(72, true);
        assertTrue(g.irqPending(0), "group priority 0x00 preempts 0x40");
        assertEquals(72, rc(g, 0, GICC_IAR));
    }

    @Test
    void sgiCarriesItsSourceCpu() {
        GicV2 g = enabled(3);
        List<String> changes = new ArrayList<>();
        g.setListener((vcpu, irq, fiq) -> changes.add(vcpu + ":" + irq));
        for (int v = 0; v < 3; v++) {
            wd(g, v, GICD_ISENABLER, 0xFFFF);
        }
        wd(g, 2, GICD_SGIR, (0b010 << 16) | 3); // filter 0: the list, CPU interface 1
        assertEquals(List.of("1:true"), changes);
        assertFalse(g.irqPending(0));
        assertEquals(3 | (2 << 10), rc(g, 1, GICC_IAR), "source CPU 2 in bits [12:10]");
        assertEquals(List.of("1:true", "1:false"), changes);
        wc(g, 1, GICC_EOIR, 3 | (2 << 10));
        assertEquals(0, rd(g, 1, GICD_ISACTIVER) & 0xFFFF);
    }

    @Test
    void sgiPendingFromTwoSourcesIsTakenOnePerAcknowledge() {
        GicV2 g = enabled(3);
        wd(g, 1, GICD_ISENABLER, 0xFFFF);
        wd(g, 0, GICD_SGIR, (0b010 << 16) | 5);
        wd(g, 2, GICD_SGIR, (0b010 << 16) | 5);
        // SPENDSGIR byte for SGI 5 (register 1, byte 1) lists sources 0 and 2
        assertEquals(0b101, g.readDistributor(1, GICD_SPENDSGIR + 5, 1));
        assertEquals(5, rc(g, 1, GICC_IAR));
        wc(g, 1, GICC_EOIR, 5);
        assertEquals(5 | (2 << 10), rc(g, 1, GICC_IAR));
        wc(g, 1, GICC_EOIR, 5 | (2 << 10));
        assertEquals(1023, rc(g, 1, GICC_IAR));
    }

    @Test
    void sgiTargetListFilters() {
        GicV2 g = enabled(3);
        for (int v = 0; v < 3; v++) {
            wd(g, v, GICD_ISENABLER, 0xFFFF);
        }
        wd(g, 1, GICD_SGIR, (1 << 24) | (0xFF << 16) | 7); // filter 1: all but the writer, list ignored
        assertTrue(g.irqPending(0));
        assertFalse(g.irqPending(1));
        assertTrue(g.irqPending(2));
        assertEquals(7 | (1 << 10), rc(g, 0, GICC_IAR));
        assertEquals(7 | (1 << 10), rc(g, 2, GICC_IAR));

        wd(g, 2, GICD_SGIR, (2 << 24) | (0b001 << 16) | 8); // filter 2: the writer only
        assertEquals(1L << 8, rd(g, 2, GICD_ISPENDR) & 0xFFFF);
        assertEquals(0, rd(g, 0, GICD_ISPENDR) & 0xFFFF);

        wd(g, 0, GICD_SGIR, (3 << 24) | (0b111 << 16) | 9); // filter 3 is reserved: nothing
        for (int v = 0; v < 3; v++) {
            assertEquals(0, rd(g, v, GICD_ISPENDR) & (1 << 9));
        }
    }

    @Test
    void sgiPendingRegistersSetAndClearSources() {
        GicV2 g = enabled(2);
        wd(g, 0, GICD_ISENABLER, 0xFFFF);
        g.writeDistributor(0, GICD_SPENDSGIR + 2, 1, 0b10); // SGI 2 from CPU 1
        assertEquals(2 | (1 << 10), rc(g, 0, GICC_HPPIR));
        g.writeDistributor(0, GICD_CPENDSGIR + 2, 1, 0b10);
        assertEquals(1023, rc(g, 0, GICC_HPPIR));
        // ISPENDR cannot pend an SGI on a GICv2
        wd(g, 0, GICD_ISPENDR, 1 << 2);
        assertEquals(0, rd(g, 0, GICD_ISPENDR));
    }

    @Test
    void spuriousWhenNothingCanBeTaken() {
        GicV2 g = new GicV2(1, 160);
        assertEquals(1023, rc(g, 0, GICC_IAR));
        spi(g, 33, 0x10, false);
        g.setLevel(33, true);
        wc(g, 0, GICC_PMR, 0xF0);
        assertEquals(1023, rc(g, 0, GICC_IAR), "distributor and CPU interface still disabled");
        wd(g, 0, GICD_CTLR, 1);
        assertEquals(1023, rc(g, 0, GICC_IAR), "CPU interface still disabled");
        wc(g, 0, GICC_CTLR, 1);
        assertEquals(33, rc(g, 0, GICC_IAR));
        wd(g, 0, GICD_ICENABLER + 4, 1L << 1);
        wc(g, 0, GICC_EOIR, 33);
        assertEquals(1023, rc(g, 0, GICC_IAR), "disabled at the distributor");
        assertFalse(g.irqPending(0));
    }

    @Test
    void groupOneNeedsAckCtlOnIarAndIsTakenByAiar() {
        GicV2 g = new GicV2(1, 160);
        wd(g, 0, GICD_CTLR, 3);
        wc(g, 0, GICC_PMR, 0xF0);
        wc(g, 0, GICC_CTLR, 3);
        spi(g, 35, 0x40, false);
        wd(g, 0, GICD_IGROUPR + 4, 1L << 3);
        g.setLevel(35, true);
        assertTrue(g.irqPending(0));
        assertEquals(1022, rc(g, 0, GICC_IAR));
        assertEquals(35, rc(g, 0, GICC_AIAR));
        g.writeCpuInterface(0, 0x24, 4, 35); // GICC_AEOIR
        assertEquals(0xFF, rc(g, 0, GICC_RPR));
        wc(g, 0, GICC_CTLR, 3 | 4); // AckCtl
        assertEquals(35, rc(g, 0, GICC_IAR));
    }

    @Test
    void groupZeroGoesToFiqWhenFiqEnIsSet() {
        GicV2 g = enabled(1);
        wc(g, 0, GICC_CTLR, 1 | 8);
        spi(g, 36, 0x40, false);
        g.setLevel(36, true);
        assertFalse(g.irqPending(0));
        assertTrue(g.fiqPending(0));
    }

    @Test
    void eoiModeOneSplitsPriorityDropFromDeactivation() {
        GicV2 g = enabled(1);
        wc(g, 0, GICC_CTLR, 1 | (1 << 9)); // EOImodeS, which governs group 0 here
        spi(g, 45, 0x40, true);
        g.setLevel(45, true);
        assertEquals(45, rc(g, 0, GICC_IAR));
        wc(g, 0, GICC_EOIR, 45);
        assertEquals(0xFF, rc(g, 0, GICC_RPR));
        assertEquals(1L << 13, rd(g, 0, GICD_ISACTIVER + 4), "still active until DIR");
        wc(g, 0, GICC_DIR, 45);
        assertEquals(0, rd(g, 0, GICD_ISACTIVER + 4));
    }

    @Test
    void ppisAreBankedPerCpu() {
        GicV2 g = enabled(2);
        wd(g, 1, GICD_ISENABLER, 1L << 27);
        g.writeDistributor(1, GICD_IPRIORITYR + 27, 1, 0xA0);
        assertTrue(g.setPpiLevel(1, 27, true));
        assertTrue(g.irqPending(1));
        assertFalse(g.irqPending(0));
        assertEquals(0, rd(g, 0, GICD_ISPENDR));
        assertEquals(1L << 27, rd(g, 1, GICD_ISPENDR));
        assertEquals(27, rc(g, 1, GICC_IAR));
        assertFalse(g.setPpiLevel(1, 40, true), "not a PPI");
        assertFalse(g.setPpiLevel(2, 27, true), "no such VCPU");
        assertFalse(g.setLevel(27, true), "not an SPI");
        assertFalse(g.setLevel(160, true), "beyond the implemented lines");
    }

    @Test
    void sgiConfigurationIsEdgeAndReadOnly() {
        GicV2 g = new GicV2(1, 160);
        assertEquals(0xAAAAAAAAL, rd(g, 0, GICD_ICFGR));
        wd(g, 0, GICD_ICFGR, 0);
        assertEquals(0xAAAAAAAAL, rd(g, 0, GICD_ICFGR));
    }

    @Test
    void byteAndHalfwordAccessesTouchOnlyTheirBytes() {
        GicV2 g = new GicV2(1, 160);
        wd(g, 0, GICD_IPRIORITYR + 40, 0x10203040L);
        g.writeDistributor(0, GICD_IPRIORITYR + 41, 1, 0xF8);
        assertEquals(0x1020F840L, rd(g, 0, GICD_IPRIORITYR + 40));
        assertEquals(0x1020, g.readDistributor(0, GICD_IPRIORITYR + 42, 2));
        // a byte write to a set-enable register sets only bits in that byte
        g.writeDistributor(0, GICD_ISENABLER + 5, 1, 0x01);
        assertEquals(1L << 8, rd(g, 0, GICD_ISENABLER + 4));
    }

    @Test
    void strangeAccessesAreHarmless() {
        GicV2 g = new GicV2(1, 160);
        assertEquals(0, g.readDistributor(0, 0xD80, 4), "reserved offset");
        assertEquals(0, g.readDistributor(0, 0x5000, 4), "outside the window");
        assertEquals(0, g.readDistributor(0, -4, 4));
        assertEquals(0, g.readDistributor(0, GICD_TYPER, 3), "odd size");
        assertEquals(0, g.readDistributor(0, GICD_TYPER + 1, 2), "misaligned");
        assertEquals(0, rd(g, 0, GICD_ISENABLER + 4 * 6), "INTIDs 192.. not implemented");
        wd(g, 0, GICD_ISENABLER + 4 * 6, -1);
        assertEquals(0, rd(g, 0, GICD_ISENABLER + 4 * 6));
        wc(g, 0, GICC_EOIR, 1023);
        wc(g, 0, GICC_EOIR, 0xFFFF_FFFFL);
        wc(g, 0, GICC_DIR, 999);
        g.writeCpuInterface(0, 0x3000, 4, 1);
        assertEquals(0xFF, rc(g, 0, GICC_RPR));
    }

    @Test
    void enableRegistersReadBackBothWays() {
        GicV2 g = new GicV2(1, 160);
        wd(g, 0, GICD_ISENABLER + 4, 0xF0);
        wd(g, 0, GICD_ICENABLER + 4, 0x30);
        assertEquals(0xC0, rd(g, 0, GICD_ISENABLER + 4));
        assertEquals(0xC0, rd(g, 0, GICD_ICENABLER + 4));
    }
}
