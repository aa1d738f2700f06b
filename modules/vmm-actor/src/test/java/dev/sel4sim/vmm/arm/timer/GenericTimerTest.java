package dev.sel4sim.vmm.arm.timer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sel4sim.vmm.cpu.SysReg;
import dev.sel4sim.vmm.arm.SysRegResult;
import org.junit.jupiter.api.Test;

/** The generic timer against the Arm ARM D11 rules, at QEMU virt's 62.5 MHz (one tick every 16 ns). */
class GenericTimerTest {

    private long now;
    private final GenericTimer timer = new GenericTimer(62_500_000, () -> now);

    private long read(SysReg reg) {
        return assertInstanceOf(SysRegResult.Value.class, timer.read(reg), reg::toString).value();
    }

    private void write(SysReg reg, long value) {
        assertEquals(SysRegResult.WRITTEN, timer.write(reg, value), reg::toString);
    }

    @Test
    void countersFollowSimulatedTime() {
        now = 1_000_000;
        assertEquals(62_500_000, read(GenericTimer.CNTFRQ_EL0));
        assertEquals(62_500, read(GenericTimer.CNTPCT_EL0));
        assertEquals(62_500, read(GenericTimer.CNTVCT_EL0));
        timer.setVirtualOffset(500);
        assertEquals(62_000, read(GenericTimer.CNTVCT_EL0));
        assertEquals(62_500, read(GenericTimer.CNTPCT_EL0), "the offset applies to the virtual count only");
        now = 1_000_015;
        assertEquals(62_500, read(GenericTimer.CNTPCT_EL0), "15 ns is less than a tick");
        now = 1_000_016;
        assertEquals(62_501, read(GenericTimer.CNTPCT_EL0));
    }

    @Test
    void cvalAndTvalAreTwoViewsOfOneComparator() {
        now = 1_000_000; // count 62 500
        write(GenericTimer.CNTV_CVAL_EL0, 100_000);
        assertEquals(37_500, read(GenericTimer.CNTV_TVAL_EL0));
        write(GenericTimer.CNTV_TVAL_EL0, 1000);
        assertEquals(63_500, read(GenericTimer.CNTV_CVAL_EL0));
        // TVAL is signed 32-bit: -5 puts the comparator in the past
        write(GenericTimer.CNTV_TVAL_EL0, 0xFFFF_FFFBL);
        assertEquals(62_495, read(GenericTimer.CNTV_CVAL_EL0));
        assertEquals(-5, (int) read(GenericTimer.CNTV_TVAL_EL0));
        assertEquals(0, read(GenericTimer.CNTV_TVAL_EL0) >>> 32, "bits [63:32] read as zero");
        // only bits [31:0] of a TVAL write count
        write(GenericTimer.CNTV_TVAL_EL0, 0x1_0000_0010L);
        assertEquals(62_516, read(GenericTimer.CNTV_CVAL_EL0));
    }

    @Test
    void istatusAndTheLine() {
        now = 1_000_000;
        write(GenericTimer.CNTV_CVAL_EL0, 100_000); // reached at 1.6 ms
        assertEquals(0, read(GenericTimer.CNTV_CTL_EL0), "disabled");
        write(GenericTimer.CNTV_CTL_EL0, GenericTimer.CTL_ENABLE | GenericTimer.CTL_ISTATUS);
        assertEquals(GenericTimer.CTL_ENABLE, read(GenericTimer.CNTV_CTL_EL0), "ISTATUS is read-only");
        assertFalse(timer.virtLineHigh(now));
        now = 1_599_999;
        assertFalse(timer.virtLineHigh(now));
        now = 1_600_000;
        assertEquals(GenericTimer.CTL_ENABLE | GenericTimer.CTL_ISTATUS, read(GenericTimer.CNTV_CTL_EL0));
        assertTrue(timer.virtLineHigh(now));
        assertEquals(0, read(GenericTimer.CNTV_TVAL_EL0));
        now = 1_600_016;
        assertEquals(0xFFFF_FFFFL, read(GenericTimer.CNTV_TVAL_EL0), "one tick past: -1");
        write(GenericTimer.CNTV_CTL_EL0, GenericTimer.CTL_ENABLE | GenericTimer.CTL_IMASK);
        assertEquals(0b111, read(GenericTimer.CNTV_CTL_EL0), "masked but the condition still shows");
        assertFalse(timer.virtLineHigh(now));
        assertFalse(timer.physLineHigh(now), "the physical timer is separate");
    }

    @Test
    void comparisonIsUnsigned() {
        now = 1_000_000;
        write(GenericTimer.CNTV_CTL_EL0, GenericTimer.CTL_ENABLE);
        write(GenericTimer.CNTV_CVAL_EL0, -1L); // 2^64 - 1: never reached
        assertFalse(timer.virtLineHigh(now));
        assertEquals(Long.MAX_VALUE, timer.nextDeadlineNs(now));
        // an offset beyond the physical count wraps the virtual count to a huge unsigned value
        timer.setVirtualOffset(62_501);
        write(GenericTimer.CNTV_CVAL_EL0, 5);
        assertEquals(-1L, read(GenericTimer.CNTVCT_EL0));
        assertTrue(timer.virtLineHigh(now));
    }

    @Test
    void nextDeadlineIsTheEarliestRisingLine() {
        now = 1_000_000;
        assertEquals(Long.MAX_VALUE, timer.nextDeadlineNs(now), "nothing enabled");
        write(GenericTimer.CNTV_CVAL_EL0, 100_000);
        write(GenericTimer.CNTV_CTL_EL0, GenericTimer.CTL_ENABLE);
        assertEquals(1_600_000, timer.nextDeadlineNs(now));
        write(GenericTimer.CNTP_TVAL_EL0, 10); // 10 ticks = 160 ns
        write(GenericTimer.CNTP_CTL_EL0, GenericTimer.CTL_ENABLE);
        assertEquals(1_000_160, timer.nextDeadlineNs(now));
        assertFalse(timer.physLineHigh(1_000_159));
        assertTrue(timer.physLineHigh(1_000_160));
        write(GenericTimer.CNTP_CTL_EL0, GenericTimer.CTL_ENABLE | GenericTimer.CTL_IMASK);
        assertEquals(1_600_000, timer.nextDeadlineNs(now), "a masked timer raises no line");
        assertEquals(1_600_000, timer.nextDeadlineNs(1_600_000), "already high: now");
        assertEquals(1_700_000, timer.nextDeadlineNs(1_700_000));
    }

    @Test
    void deadlineHonoursTheVirtualOffset() {
        now = 1_000_000;
        timer.setVirtualOffset(1000);
        write(GenericTimer.CNTV_CVAL_EL0, 62_500); // physical 63 500 = 1 016 000 ns
        write(GenericTimer.CNTV_CTL_EL0, GenericTimer.CTL_ENABLE);
        assertEquals(1_016_000, timer.nextDeadlineNs(now));
    }

    @Test
    void deadlineAtAFrequencyThatIsNotAWholeNumberOfNanoseconds() {
        now = 0;
        GenericTimer t = new GenericTimer(24_000_000, () -> now); // 41.67 ns per tick
        t.write(GenericTimer.CNTV_CVAL_EL0, 1);
        t.write(GenericTimer.CNTV_CTL_EL0, GenericTimer.CTL_ENABLE);
        assertEquals(42, t.nextDeadlineNs(0));
        assertFalse(t.virtLineHigh(41));
        assertTrue(t.virtLineHigh(42));
        t.write(GenericTimer.CNTV_CVAL_EL0, 24_000_000);
        assertEquals(1_000_000_000, t.nextDeadlineNs(0), "one second of ticks is exactly one second");
    }

    @Test
    void readOnlyAndForeignRegisters() {
        assertInstanceOf(SysRegResult.Refused.class, timer.write(GenericTimer.CNTFRQ_EL0, 1));
        assertInstanceOf(SysRegResult.Refused.class, timer.write(GenericTimer.CNTVCT_EL0, 1));
        assertInstanceOf(SysRegResult.Unknown.class, timer.read(SysReg.of(3, 0, 1, 0, 0)), "SCTLR_EL1");
        assertInstanceOf(SysRegResult.Unknown.class, timer.write(SysReg.of(3, 4, 14, 0, 3), 1),
                "CNTVOFF_EL2 is not reachable from EL1");
    }

    @Test
    void el0AccessFollowsCntkctl() {
        assertFalse(timer.el0AccessAllowed(GenericTimer.CNTVCT_EL0));
        write(GenericTimer.CNTKCTL_EL1, 0b10); // EL0VCTEN, as Linux sets for the vDSO
        assertEquals(0b10, read(GenericTimer.CNTKCTL_EL1));
        assertTrue(timer.el0AccessAllowed(GenericTimer.CNTVCT_EL0));
        assertTrue(timer.el0AccessAllowed(GenericTimer.CNTFRQ_EL0));
        assertFalse(timer.el0AccessAllowed(GenericTimer.CNTPCT_EL0));
        assertFalse(timer.el0AccessAllowed(GenericTimer.CNTV_CTL_EL0));
        write(GenericTimer.CNTKCTL_EL1, 1 << 8);
        assertTrue(timer.el0AccessAllowed(GenericTimer.CNTV_CVAL_EL0));
        assertFalse(timer.el0AccessAllowed(GenericTimer.CNTKCTL_EL1));
    }
}
