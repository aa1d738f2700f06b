package dev.sel4sim.vmm.arm.gic;

/**
 * Told when a VCPU's interrupt outputs change, like the nIRQ/nFIQ wires from a GIC CPU interface to its
 * core. An SGI from one VCPU raises another VCPU's IRQ output, so the VMM uses this to wake a VCPU parked
 * in WFI; a falling output lets it cancel an injection it had planned. Called synchronously, in VCPU
 * order, at the end of the GIC call that caused the change.
 */
@FunctionalInterface
public interface GicOutputListener {

    /**
     * @param vcpu the VCPU whose outputs changed
     * @param irq  whether its IRQ output is now asserted
     * @param fiq  whether its FIQ output is now asserted
     */
    void outputsChanged(int vcpu, boolean irq, boolean fiq);
}
