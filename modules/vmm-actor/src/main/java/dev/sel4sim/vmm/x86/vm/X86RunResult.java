package dev.sel4sim.vmm.x86.vm;

/**
 * How {@link X86Machine#run} ended.
 *
 * @param outcome      why it returned
 * @param message      for FAILED, what went wrong (with EIP); otherwise null
 * @param instructions guest instructions counted so far
 * @param nowNs        simulated time at the end
 */
public record X86RunResult(Outcome outcome, String message, long instructions, long nowNs) {
    public enum Outcome {
        /** The instruction budget of the call was used up; the machine can run on. */
        BUDGET,
        /** The guest halted with interrupts off and nothing can wake it: it is finished. */
        HALTED,
        /**
         * A paced machine's guest halted with interrupts on and nothing is due yet: call again when
         * {@link X86Machine#nextDeadlineNs()} has come or input arrived.
         */
        IDLE,
        /** The guest asked for a reset; the machine does not restart by itself. */
        RESET,
        /** The guest did something the machine cannot go on from (an undeliverable fault, an unmapped access). */
        FAILED
    }
}
