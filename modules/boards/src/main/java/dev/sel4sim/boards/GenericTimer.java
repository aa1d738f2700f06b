package dev.sel4sim.boards;

/**
 * The ARM generic timer: its per-core interrupts as GIC INTIDs (PPI n = INTID 16 + n) and the counter
 * frequency.
 *
 * @param securePhysIntid    EL1 secure physical timer (normally PPI 13 = INTID 29)
 * @param nonSecurePhysIntid EL1 non-secure physical timer (normally PPI 14 = INTID 30)
 * @param virtualIntid       virtual timer (normally PPI 11 = INTID 27), the one guests use
 * @param hypIntid           EL2 (hypervisor) physical timer (normally PPI 10 = INTID 26)
 * @param counterFrequencyHz CNTFRQ as seL4's platform configuration declares it ({@code TIMER_FREQUENCY})
 */
public record GenericTimer(int securePhysIntid, int nonSecurePhysIntid, int virtualIntid, int hypIntid,
                           long counterFrequencyHz) implements Timer {

    /** Checks the INTIDs are PPIs and the frequency positive. */
    public GenericTimer {
        for (int intid : new int[] {securePhysIntid, nonSecurePhysIntid, virtualIntid, hypIntid}) {
            if (intid < 16 || intid > 31) {
                throw new IllegalArgumentException("timer interrupts must be PPI INTIDs (16..31), got " + intid);
            }
        }
        if (counterFrequencyHz <= 0) {
            throw new IllegalArgumentException("counter frequency must be positive");
        }
    }
}
