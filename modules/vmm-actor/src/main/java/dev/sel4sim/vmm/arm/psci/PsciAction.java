package dev.sel4sim.vmm.arm.psci;

/** What the VMM must do after a PSCI call, besides writing x0. */
public sealed interface PsciAction {

    /** Nothing: resume the caller. */
    record None() implements PsciAction {
    }

    /** CPU_SUSPEND, treated as WFI: resume the caller when an interrupt or event would wake it. */
    record Wfi() implements PsciAction {
    }

    /**
     * Start a powered-down VCPU at {@code entry} in the state PSCI specifies (EL1, MMU and caches off, all
     * exceptions masked) with {@code contextId} in x0; mark it ON_PENDING until it runs.
     *
     * @param vcpu      the target VCPU index
     * @param entry     its entry point (physical address)
     * @param contextId the value for its x0
     */
    record CpuOn(int vcpu, long entry, long contextId) implements PsciAction {
    }

    /** Power the calling VCPU down; it does not return (x0 matters only if the VMM cannot). */
    record CpuOff() implements PsciAction {
    }

    /** Power the VM off. */
    record SystemOff() implements PsciAction {
    }

    /** Reset the VM. */
    record SystemReset() implements PsciAction {
    }

    /** The shared {@link None}. */
    PsciAction NONE = new None();
}
