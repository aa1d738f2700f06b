package dev.sel4sim.vmm.cpu;

/**
 * How one slice of guest execution ended.
 *
 * @param instructions guest instructions executed in the slice (block-granular)
 * @param reason       why it ended
 * @param error        the back end's error text when {@code reason} is ERROR
 * @param unmapped     for an ERROR, whether it was an access to a guest-physical address with
 *                     no memory and no device (the PC is at the instruction that made it)
 */
public record SliceResult(long instructions, Reason reason, String error, Unmapped unmapped) {
    /** Which kind of access reached nothing. */
    public enum Unmapped { NONE, READ, WRITE, FETCH }

    public enum Reason {
        /** The instruction budget of the slice ran out. */
        DEADLINE,
        /** {@link Arm64Cpu#requestStop()} was called (by a hook or another thread). */
        REQUESTED,
        /** The guest executed WFI; the PC is past it. */
        HALTED,
        /** A pending interrupt found PSTATE.I clear. */
        IRQ_WINDOW,
        /**
         * The guest executed WFE or YIELD (it waits for another VCPU) and
         * {@link Arm64Cpu#yieldOnHint} is on; the PC is past the hint.
         */
        HINT,
        /** The guest ran into an error the back end reports by ending the run (an unmapped fetch, ...). */
        ERROR
    }
}
