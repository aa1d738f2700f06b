package dev.sel4sim.vmm.arm.vm;

/**
 * What one VCPU slice ended with, as the VCPU reports it to its VMM: the guest's own
 * exceptions are already taken by then; what is left is for the VMM (as seL4 delivers a
 * VCPU's faults to its VMM by fault IPC).
 */
public sealed interface SliceOutcome {
    int vcpu();

    long instructions();

    /** The slice ended for a reason the VCPU handled itself (budget, interrupt, guest exception, WFI). */
    record Ran(int vcpu, long instructions) implements SliceOutcome {
    }

    /** HVC or SMC: PSCI, SMCCC or the SMC policy answer it; the VCPU resumes after the call. */
    record Hypercall(int vcpu, long instructions, boolean smc) implements SliceOutcome {
    }

    /** The VCPU cannot go on: this VM stops (nothing else does). */
    record Fault(int vcpu, long instructions, VmStop why) implements SliceOutcome {
    }
}
