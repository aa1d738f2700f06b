package dev.sel4sim.kernel.ipc;

/**
 * Everything the kernel delivers to a thread's actor: the completion of a blocking system call.
 * Components that need their own messages extend {@link Local}.
 */
public sealed interface KernelEvent {
    /** The thread was started (or restarted by its supervisor); its first chance to run. */
    record Started(int incarnation) implements KernelEvent {}

    /** A message arrived on Recv / ReplyRecv; {@code call} means a reply is expected. */
    record IpcReceived(long badge, Message message, boolean call, int capsTransferred, long[] unwrappedBadges)
            implements KernelEvent {}

    /** A notification's pending badges (Wait, or Recv on a thread with a bound notification). */
    record NotificationReceived(long badge) implements KernelEvent {}

    /** The reply to this thread's Call. */
    record ReplyReceived(Message message) implements KernelEvent {}

    /** A blocked Send was taken by a receiver. */
    record SendCompleted() implements KernelEvent {}

    /** A fault of another thread, delivered to this thread as the holder of its fault endpoint. */
    record FaultReceived(long badge, String thread, Fault fault) implements KernelEvent {}

    /** This thread's own fault was answered by its handler; it runs again. */
    record FaultResolved(Fault fault, Message reply) implements KernelEvent {}

    /** The blocking operation was aborted (its object deleted or revoked, or the partner died). */
    record Cancelled(String reason) implements KernelEvent {}

    /** A component's own message (timers, test commands); the kernel never sends these. */
    non-sealed interface Local extends KernelEvent {}
}
