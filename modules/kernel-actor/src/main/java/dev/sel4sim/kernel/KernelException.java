package dev.sel4sim.kernel;

/**
 * A kernel operation refused with an seL4 error. Thrown inside the kernel model and turned into the
 * syscall's return value at the boundary; carries the human explanation seL4 would print with
 * its userError() debug output.
 */
public final class KernelException extends RuntimeException {
    private final Sel4Error error;

    public KernelException(Sel4Error error, String detail) {
        super(error.sel4Name() + ": " + detail, null, false, false);
        this.error = error;
    }

    public Sel4Error error() {
        return error;
    }
}
