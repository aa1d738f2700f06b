package dev.sel4sim.kernel.objects;

/** seL4's thread states (_thread_state_type). */
public enum ThreadState {
    INACTIVE, RUNNING, BLOCKED_ON_SEND, BLOCKED_ON_RECV, BLOCKED_ON_REPLY, BLOCKED_ON_NOTIFICATION
}
