package dev.sel4sim.vmm.arm.dt;

import java.util.Objects;
import java.util.OptionalLong;

import dev.sel4sim.boards.GenericTimer;

/**
 * The generic timer's per-CPU interrupts as the {@code arm,armv8-timer} binding lists them: secure physical,
 * non-secure physical, virtual, hypervisor physical, each a PPI INTID (16..31).
 *
 * @param securePhysIntid    secure EL1 physical timer (normally PPI 13 = INTID 29)
 * @param nonSecurePhysIntid non-secure EL1 physical timer (normally PPI 14 = INTID 30)
 * @param virtualIntid       virtual timer (normally PPI 11 = INTID 27)
 * @param hypIntid           EL2 physical timer (normally PPI 10 = INTID 26)
 * @param trigger            trigger in each specifier; Linux's arch timer accepts active-low or active-high
 *                           level, and Arm's own device trees use active-low
 * @param clockFrequencyHz   a {@code clock-frequency} property, only for when CNTFRQ_EL0 cannot be trusted
 *                           (the binding discourages it otherwise)
 */
public record ArchTimerSpec(int securePhysIntid, int nonSecurePhysIntid, int virtualIntid, int hypIntid,
                            IrqTrigger trigger, OptionalLong clockFrequencyHz) {

    /** Checks the INTIDs are PPIs and the frequency positive. */
    public ArchTimerSpec {
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(clockFrequencyHz, "clockFrequencyHz");
        for (int intid : new int[] {securePhysIntid, nonSecurePhysIntid, virtualIntid, hypIntid}) {
            if (intid < 16 || intid > 31) {
                throw new IllegalArgumentException("timer interrupts are PPIs (INTID 16..31), got " + intid);
            }
        }
        if (clockFrequencyHz.isPresent() && (clockFrequencyHz.getAsLong() <= 0
                || clockFrequencyHz.getAsLong() > 0xffff_ffffL)) {
            throw new IllegalArgumentException("clock-frequency must be 1..2^32-1 Hz");
        }
    }

    /** @return the architecture's recommended PPIs 13, 14, 11, 10 (INTIDs 29, 30, 27, 26), active-low level */
    public static ArchTimerSpec standard() {
        return new ArchTimerSpec(29, 30, 27, 26, IrqTrigger.LEVEL_LOW, OptionalLong.empty());
    }

    /** @return the board's timer INTIDs, active-low level, no clock-frequency property */
    public static ArchTimerSpec fromBoard(GenericTimer timer) {
        return new ArchTimerSpec(timer.securePhysIntid(), timer.nonSecurePhysIntid(), timer.virtualIntid(),
                timer.hypIntid(), IrqTrigger.LEVEL_LOW, OptionalLong.empty());
    }
}
