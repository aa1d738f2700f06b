package dev.sel4sim.vmm.arm.psci;

/** PSCI return codes (DEN0022, table 6), as the sign-extended values a caller finds in x0. */
public final class PsciReturn {

    public static final long SUCCESS = 0;
    /** Also SMCCC's "unknown function" value. */
    public static final long NOT_SUPPORTED = -1;
    public static final long INVALID_PARAMETERS = -2;
    public static final long DENIED = -3;
    public static final long ALREADY_ON = -4;
    public static final long ON_PENDING = -5;
    public static final long INTERNAL_FAILURE = -6;
    public static final long NOT_PRESENT = -7;
    public static final long DISABLED = -8;
    public static final long INVALID_ADDRESS = -9;

    private PsciReturn() {
    }
}
