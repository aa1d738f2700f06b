package dev.sel4sim.vmm.run;

/** What one scheduling step of a VM did. */
public sealed interface StepResult {
    /** A slice ran; call again. */
    record Ran(int vcpu, long instructions) implements StepResult {
    }

    /** Every VCPU waits for an interrupt; nothing is due before {@code untilNs} (simulated, PACED only). */
    record Idle(long untilNs) implements StepResult {
    }

    /** The VM is over. */
    record Stopped(VmStop why) implements StepResult {
    }
}
