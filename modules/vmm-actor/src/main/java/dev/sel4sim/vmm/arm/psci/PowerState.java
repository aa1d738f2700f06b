package dev.sel4sim.vmm.arm.psci;

/** A VCPU's power state as PSCI sees it, with the value AFFINITY_INFO reports for it. */
public enum PowerState {
    /** Running (or in standby). */
    ON(0),
    /** Powered down, CPU_ON may start it. */
    OFF(1),
    /** CPU_ON accepted, not yet running. */
    ON_PENDING(2);

    private final long affinityInfo;

    PowerState(long affinityInfo) {
        this.affinityInfo = affinityInfo;
    }

    /** @return AFFINITY_INFO's return value for this state */
    public long affinityInfo() {
        return affinityInfo;
    }
}
