package dev.sel4sim.kernel.ipc;

/**
 * A fault a thread raised, delivered as IPC to its fault endpoint. The faulting thread waits for
 * the handler's reply (seL4 fault IPC is a call on the thread's behalf).
 */
public sealed interface Fault {
    /** A capability lookup failed: the CPtr, whether in the receive phase, and why. */
    record CapFault(long cptr, boolean inReceivePhase, String lookupFailure) implements Fault {}

    /** A system call number the kernel does not know. */
    record UnknownSyscall(long number) implements Fault {}

    /** An architectural exception in user mode. */
    record UserException(long number, long code, long pc) implements Fault {}

    /** A memory access with no mapping (for a VM: a stage-2 fault). */
    record VmFault(long address, long pc, long fsr, boolean instruction, boolean write, int size) implements Fault {}

    /** A VCPU exit the kernel hands to the VMM (HSR / exit reason). */
    record VcpuFault(long hsr) implements Fault {}

    /** An MCS thread used up its budget and has a timeout handler. */
    record Timeout(long schedContextBadge, long consumedNs) implements Fault {}

    /** seL4's fault label for this kind (aarch64, non-MCS numbering where both exist). */
    default long label() {
        return switch (this) {
            case CapFault c -> 1;
            case UnknownSyscall u -> 2;
            case UserException u -> 3;
            case VmFault v -> 5;
            case VcpuFault v -> 7;
            case Timeout t -> 9;
        };
    }
}
