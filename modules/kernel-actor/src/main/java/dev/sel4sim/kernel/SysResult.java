package dev.sel4sim.kernel;

import dev.sel4sim.kernel.ipc.Fault;
import dev.sel4sim.kernel.ipc.KernelEvent;

/**
 * What a system call returns to its caller at once. Blocking calls that could not complete return
 * {@link Blocked}; their outcome arrives later as a {@link KernelEvent} to the thread's actor.
 */
public sealed interface SysResult {
    /** Completed now; {@code value} is the badge for Poll, the new slot count for Retype, else 0. */
    record Done(long value) implements SysResult {}

    /** Completed now with a delivery (NBRecv that found a sender, Recv on an active notification). */
    record Delivered(KernelEvent event) implements SysResult {}

    /** The thread is blocked; the result comes as a kernel event. */
    record Blocked() implements SysResult {}

    /** Refused with an seL4 error; nothing happened. */
    record Error(Sel4Error error, String detail) implements SysResult {}

    /**
     * The call raised a fault for this thread (e.g. a capability lookup failure on Send or Call).
     * When the thread has a fault handler it is blocked until the handler replies
     * ({@link KernelEvent.FaultResolved}); otherwise it is suspended, as seL4 does.
     */
    record Faulted(Fault fault, boolean deliveredToHandler) implements SysResult {}

    Done OK = new Done(0);
    Blocked BLOCKED = new Blocked();

    default boolean isError() {
        return this instanceof Error;
    }

    /** The seL4 error, or NO_ERROR. */
    default Sel4Error error() {
        return this instanceof Error e ? e.error() : Sel4Error.NO_ERROR;
    }
}
