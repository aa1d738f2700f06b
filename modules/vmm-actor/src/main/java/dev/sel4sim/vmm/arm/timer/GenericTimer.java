package dev.sel4sim.vmm.arm.timer;

import dev.sel4sim.vmm.cpu.SysReg;
import dev.sel4sim.vmm.arm.SysRegResult;
import java.util.function.LongSupplier;

/**
 * One VCPU's generic timer: the counters CNTPCT_EL0 and CNTVCT_EL0 (= CNTPCT_EL0 - CNTVOFF_EL2) from
 * simulated time, the EL1 virtual timer (CNTV_*, PPI 27) and physical timer (CNTP_*, PPI 30), CNTKCTL_EL1
 * and CNTFRQ_EL0.
 *
 * <p>A timer's condition is met when its counter, as an unsigned 64-bit value, has reached CVAL; CTL.ISTATUS
 * reports it and the interrupt line is high while ENABLE is set, IMASK clear and the condition met (a
 * level-sensitive PPI). TVAL is the signed 32-bit view {@code CVAL - counter}. CNTVOFF_EL2 belongs to the
 * hypervisor: the VMM sets it with {@link #setVirtualOffset}, a guest at EL1 cannot reach it.
 */
public final class GenericTimer {

    /** The virtual timer's interrupt, PPI 11. */
    public static final int VIRTUAL_TIMER_INTID = 27;
    /** The EL1 physical timer's interrupt, PPI 14. */
    public static final int PHYSICAL_TIMER_INTID = 30;

    public static final SysReg CNTFRQ_EL0 = SysReg.of(3, 3, 14, 0, 0);
    public static final SysReg CNTPCT_EL0 = SysReg.of(3, 3, 14, 0, 1);
    public static final SysReg CNTVCT_EL0 = SysReg.of(3, 3, 14, 0, 2);
    /** Self-synchronised counter views (FEAT_ECV); the same values here. */
    public static final SysReg CNTPCTSS_EL0 = SysReg.of(3, 3, 14, 0, 5);
    public static final SysReg CNTVCTSS_EL0 = SysReg.of(3, 3, 14, 0, 6);
    public static final SysReg CNTKCTL_EL1 = SysReg.of(3, 0, 14, 1, 0);
    public static final SysReg CNTP_TVAL_EL0 = SysReg.of(3, 3, 14, 2, 0);
    public static final SysReg CNTP_CTL_EL0 = SysReg.of(3, 3, 14, 2, 1);
    public static final SysReg CNTP_CVAL_EL0 = SysReg.of(3, 3, 14, 2, 2);
    public static final SysReg CNTV_TVAL_EL0 = SysReg.of(3, 3, 14, 3, 0);
    public static final SysReg CNTV_CTL_EL0 = SysReg.of(3, 3, 14, 3, 1);
    public static final SysReg CNTV_CVAL_EL0 = SysReg.of(3, 3, 14, 3, 2);

    /** CNTx_CTL_EL0 bits. */
    public static final int CTL_ENABLE = 1;
    public static final int CTL_IMASK = 1 << 1;
    public static final int CTL_ISTATUS = 1 << 2;

    /** CNTKCTL_EL1 bits kept: EL0PCTEN, EL0VCTEN, EVNTEN, EVNTDIR, EVNTI, EL0VTEN, EL0PTEN [9:0]. */
    private static final int KCTL_MASK = 0x3FF;
    private static final int KCTL_EL0PCTEN = 1;
    private static final int KCTL_EL0VCTEN = 1 << 1;
    private static final int KCTL_EL0VTEN = 1 << 8;
    private static final int KCTL_EL0PTEN = 1 << 9;

    private final CounterClock clock;
    private final LongSupplier nowNs;
    private long virtualOffset;
    private int kctl;
    private int virtCtl;
    private long virtCval;
    private int physCtl;
    private long physCval;

    /**
     * @param frequencyHz the counter frequency (62.5 MHz on QEMU's virt board, else the board's)
     * @param nowNs       simulated time in nanoseconds, read for every counter and timer register access
     */
    public GenericTimer(long frequencyHz, LongSupplier nowNs) {
        this.clock = new CounterClock(frequencyHz);
        this.nowNs = nowNs;
    }

    /** @return the ns/tick conversion */
    public CounterClock clock() {
        return clock;
    }

    /** @return CNTVOFF_EL2 */
    public long virtualOffset() {
        return virtualOffset;
    }

    /** @param offset CNTVOFF_EL2, subtracted from the physical count to give the virtual count */
    public void setVirtualOffset(long offset) {
        virtualOffset = offset;
    }

    /** @return CNTPCT_EL0 at {@code nanos} */
    public long physicalCount(long nanos) {
        return clock.ticksAt(nanos);
    }

    /** @return CNTVCT_EL0 at {@code nanos} */
    public long virtualCount(long nanos) {
        return clock.ticksAt(nanos) - virtualOffset;
    }

    /**
     * An MRS of a timer register.
     *
     * @param reg the register's encoding
     * @return its value, or {@link SysRegResult.Unknown} for a register that is not the timer's
     */
    public SysRegResult read(SysReg reg) {
        long now = nowNs.getAsLong();
        if (reg.equals(CNTFRQ_EL0)) {
            return SysRegResult.value(clock.frequencyHz());
        } else if (reg.equals(CNTPCT_EL0) || reg.equals(CNTPCTSS_EL0)) {
            return SysRegResult.value(physicalCount(now));
        } else if (reg.equals(CNTVCT_EL0) || reg.equals(CNTVCTSS_EL0)) {
            return SysRegResult.value(virtualCount(now));
        } else if (reg.equals(CNTKCTL_EL1)) {
            return SysRegResult.value(kctl);
        } else if (reg.equals(CNTV_CTL_EL0)) {
            return SysRegResult.value(ctlView(virtCtl, virtualCount(now), virtCval));
        } else if (reg.equals(CNTV_CVAL_EL0)) {
            return SysRegResult.value(virtCval);
        } else if (reg.equals(CNTV_TVAL_EL0)) {
            return SysRegResult.value((virtCval - virtualCount(now)) & 0xFFFF_FFFFL);
        } else if (reg.equals(CNTP_CTL_EL0)) {
            return SysRegResult.value(ctlView(physCtl, physicalCount(now), physCval));
        } else if (reg.equals(CNTP_CVAL_EL0)) {
            return SysRegResult.value(physCval);
        } else if (reg.equals(CNTP_TVAL_EL0)) {
            return SysRegResult.value((physCval - physicalCount(now)) & 0xFFFF_FFFFL);
        }
        return new SysRegResult.Unknown(reg);
    }

    /**
     * An MSR to a timer register. After a write the VMM re-reads {@link #virtLineHigh} and
     * {@link #physLineHigh} and drives the PPIs.
     *
     * @param reg   the register's encoding
     * @param value the value written
     * @return {@link SysRegResult#WRITTEN}; {@link SysRegResult.Refused} for the counters and CNTFRQ_EL0
     *         (read-only below the highest exception level); {@link SysRegResult.Unknown} otherwise
     */
    public SysRegResult write(SysReg reg, long value) {
        long now = nowNs.getAsLong();
        if (reg.equals(CNTKCTL_EL1)) {
            kctl = (int) value & KCTL_MASK;
        } else if (reg.equals(CNTV_CTL_EL0)) {
            virtCtl = (int) value & (CTL_ENABLE | CTL_IMASK);
        } else if (reg.equals(CNTV_CVAL_EL0)) {
            virtCval = value;
        } else if (reg.equals(CNTV_TVAL_EL0)) {
            virtCval = virtualCount(now) + (int) value;
        } else if (reg.equals(CNTP_CTL_EL0)) {
            physCtl = (int) value & (CTL_ENABLE | CTL_IMASK);
        } else if (reg.equals(CNTP_CVAL_EL0)) {
            physCval = value;
        } else if (reg.equals(CNTP_TVAL_EL0)) {
            physCval = physicalCount(now) + (int) value;
        } else if (reg.equals(CNTFRQ_EL0)) {
            return new SysRegResult.Refused(reg, "CNTFRQ_EL0 is writable only at the highest exception level");
        } else if (reg.equals(CNTPCT_EL0) || reg.equals(CNTVCT_EL0) || reg.equals(CNTPCTSS_EL0)
                || reg.equals(CNTVCTSS_EL0)) {
            return new SysRegResult.Refused(reg, "the counters are read-only");
        } else {
            return new SysRegResult.Unknown(reg);
        }
        return SysRegResult.WRITTEN;
    }

    /**
     * Whether EL0 may access the register under CNTKCTL_EL1 (else the access traps to EL1): the physical
     * counter needs EL0PCTEN, the virtual counter EL0VCTEN, CNTFRQ_EL0 either, the virtual timer EL0VTEN,
     * the physical timer EL0PTEN; CNTKCTL_EL1 never.
     *
     * @param reg a timer register
     * @return whether an EL0 access is allowed; false for registers that are not the timer's
     */
    public boolean el0AccessAllowed(SysReg reg) {
        if (reg.equals(CNTPCT_EL0) || reg.equals(CNTPCTSS_EL0)) {
            return (kctl & KCTL_EL0PCTEN) != 0;
        } else if (reg.equals(CNTVCT_EL0) || reg.equals(CNTVCTSS_EL0)) {
            return (kctl & KCTL_EL0VCTEN) != 0;
        } else if (reg.equals(CNTFRQ_EL0)) {
            return (kctl & (KCTL_EL0PCTEN | KCTL_EL0VCTEN)) != 0;
        } else if (reg.equals(CNTV_CTL_EL0) || reg.equals(CNTV_CVAL_EL0) || reg.equals(CNTV_TVAL_EL0)) {
            return (kctl & KCTL_EL0VTEN) != 0;
        } else if (reg.equals(CNTP_CTL_EL0) || reg.equals(CNTP_CVAL_EL0) || reg.equals(CNTP_TVAL_EL0)) {
            return (kctl & KCTL_EL0PTEN) != 0;
        }
        return false;
    }

    /**
     * @param nanos simulated time
     * @return whether the virtual timer's interrupt line (PPI 27) is high then
     */
    public boolean virtLineHigh(long nanos) {
        return lineHigh(virtCtl, virtualCount(nanos), virtCval);
    }

    /**
     * @param nanos simulated time
     * @return whether the physical timer's interrupt line (PPI 30) is high then
     */
    public boolean physLineHigh(long nanos) {
        return lineHigh(physCtl, physicalCount(nanos), physCval);
    }

    /**
     * @param nanos simulated time now
     * @return the earliest time at or after {@code nanos} when an enabled, unmasked timer's line is high
     *         ({@code nanos} itself if one is high already), or {@link Long#MAX_VALUE} if none will rise;
     *         the VMM parks a VCPU in WFI until then
     */
    public long nextDeadlineNs(long nanos) {
        long p = physicalCount(nanos);
        return Math.min(deadline(virtCtl, virtualCount(nanos), virtCval, p, nanos),
                deadline(physCtl, p, physCval, p, nanos));
    }

    private static boolean conditionMet(long count, long cval) {
        return Long.compareUnsigned(count, cval) >= 0;
    }

    private static boolean lineHigh(int ctl, long count, long cval) {
        return (ctl & CTL_ENABLE) != 0 && (ctl & CTL_IMASK) == 0 && conditionMet(count, cval);
    }

    /** ISTATUS reads as zero while the timer is disabled (the Arm ARM leaves it UNKNOWN then). */
    private static long ctlView(int ctl, long count, long cval) {
        boolean status = (ctl & CTL_ENABLE) != 0 && conditionMet(count, cval);
        return ctl | (status ? CTL_ISTATUS : 0);
    }

    private long deadline(int ctl, long count, long cval, long physical, long nanos) {
        if ((ctl & CTL_ENABLE) == 0 || (ctl & CTL_IMASK) != 0) {
            return Long.MAX_VALUE;
        }
        if (conditionMet(count, cval)) {
            return nanos;
        }
        // The counter keeps pace with the physical count, so the condition is met once the physical
        // count has advanced by the (unsigned) distance still to go.
        long toGo = cval - count;
        if (toGo < 0 || physical < 0 || physical > Long.MAX_VALUE - toGo) {
            return Long.MAX_VALUE;
        }
        return Math.max(nanos, clock.nanosAtOrAfter(physical + toGo));
    }
}
