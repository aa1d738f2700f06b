package dev.sel4sim.kernel;

/** The error codes an seL4 system call returns, with seL4's numbering (seL4_Error). */
public enum Sel4Error {
    NO_ERROR(0), INVALID_ARGUMENT(1), INVALID_CAPABILITY(2), ILLEGAL_OPERATION(3), RANGE_ERROR(4),
    ALIGNMENT_ERROR(5), FAILED_LOOKUP(6), TRUNCATED_MESSAGE(7), DELETE_FIRST(8), REVOKE_FIRST(9),
    NOT_ENOUGH_MEMORY(10);

    public final int code;

    Sel4Error(int code) {
        this.code = code;
    }

    /** The name seL4's headers use, e.g. {@code seL4_InvalidCapability}. */
    public String sel4Name() {
        StringBuilder b = new StringBuilder("seL4_");
        for (String part : name().split("_")) {
            b.append(part.charAt(0)).append(part.substring(1).toLowerCase());
        }
        return b.toString();
    }
}
