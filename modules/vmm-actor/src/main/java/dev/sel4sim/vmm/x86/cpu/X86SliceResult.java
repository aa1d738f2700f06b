package dev.sel4sim.vmm.x86.cpu;

/**
 * How one slice of x86 guest execution ended.
 *
 * @param instructions guest instructions counted in the slice (an estimate per translated block)
 * @param reason       why it ended
 * @param error        the back end's error text for {@link Reason#ERROR}, else null
 */
public record X86SliceResult(long instructions, Reason reason, String error) {
    public enum Reason {
        /** The instruction budget ran out. */
        DEADLINE,
        /** {@link X86Cpu#requestStop()} was called (by a hook or another thread). */
        REQUESTED,
        /** The guest executed HLT; EIP is past it. */
        HALTED,
        /** An interrupt waits and the guest has just set EFLAGS.IF. */
        IRQ_WINDOW,
        /** An undefined opcode (#UD): EIP is at the instruction; the engine did not deliver it. */
        INVALID_OPCODE,
        /** A fetch, read or write reached no memory and no device; EIP is at the instruction. */
        UNMAPPED,
        /** Any other failure of the engine. */
        ERROR
    }
}
