package dev.sel4sim.kernel.actor;

/** What happens when a component's actor fails (throws, or is crashed by fault injection). */
public enum Supervision {
    /** Restart with its state reset: the TCB leaves every queue and the component starts afresh. */
    RESTART,
    /** Stop: the thread is suspended for good; whoever depends on it sees it vanish. */
    STOP,
    /** Stop it and fail the whole simulation, naming the component and the cause. */
    ESCALATE
}
