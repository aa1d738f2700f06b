package dev.sel4sim.vmm.arm.gic;

/**
 * What the VMM needs from either GIC version besides register decoding: driving interrupt lines and
 * asking whether a VCPU has an interrupt to take.
 */
public sealed interface VirtualGic permits GicV2, GicV3 {

    /** @return the state machine, for inspection and snapshots */
    GicCore core();

    /** @return the number of VCPUs */
    default int vcpuCount() {
        return core().vcpuCount();
    }

    /** @return the number of INTIDs implemented, SGIs and PPIs included */
    default int lineCount() {
        return core().distributor().lineCount();
    }

    /**
     * Drives an SPI's input line from a device.
     *
     * @param intid the SPI's INTID (32 and up)
     * @param high  the line level (asserted)
     * @return false if the INTID is not an SPI of this GIC; nothing changes then
     */
    default boolean setLevel(int intid, boolean high) {
        if (intid < GicDistributor.PRIVATE) {
            return false;
        }
        boolean ok = core().distributor().setLineLevel(0, intid, high);
        core().flush();
        return ok;
    }

    /**
     * Drives one VCPU's PPI input line (the timer PPIs are level-sensitive: keep the line high while the
     * timer condition holds).
     *
     * @param vcpu  the VCPU
     * @param intid the PPI's INTID, 16..31 (the virtual timer is 27, the physical timer 30)
     * @param high  the line level
     * @return false if the INTID is not a PPI or the VCPU does not exist; nothing changes then
     */
    default boolean setPpiLevel(int vcpu, int intid, boolean high) {
        if (intid < GicDistributor.SGIS || intid >= GicDistributor.PRIVATE || vcpu < 0 || vcpu >= vcpuCount()) {
            return false;
        }
        boolean ok = core().distributor().setLineLevel(vcpu, intid, high);
        core().flush();
        return ok;
    }

    /**
     * @param vcpu a VCPU index
     * @return whether its IRQ output is asserted; the VMM injects an IRQ exception when this holds and the
     *         guest has PSTATE.I clear, and wakes the VCPU from WFI when it holds at all
     */
    default boolean irqPending(int vcpu) {
        return core().irqPending(vcpu);
    }

    /** @return whether the VCPU's FIQ output is asserted */
    default boolean fiqPending(int vcpu) {
        return core().fiqPending(vcpu);
    }

    /**
     * @param listener told about every change of a VCPU's IRQ/FIQ outputs; null for none
     */
    default void setListener(GicOutputListener listener) {
        core().setListener(listener);
    }
}
