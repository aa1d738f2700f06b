package dev.sel4sim.system.cli;

/** Exit codes of the sel4sim command. */
final class ExitCodes {
    static final int OK = 0;
    /** The system file has errors (each printed as file:line). */
    static final int CONFIG = 2;
    /** A component with supervision 'escalate' failed and took the system down. */
    static final int ESCALATED = 3;
    /** A VM stopped on a fault, or an expect script timed out. */
    static final int VM_FAILED = 4;

    private ExitCodes() {
    }
}
