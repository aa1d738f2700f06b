package dev.sel4sim.vmm.cpu;

/** A CPU back end refused an operation; the message names the call and the back end's reason. */
public final class CpuException extends RuntimeException {
    private final int code;

    public CpuException(String message, int code) {
        super(message);
        this.code = code;
    }

    /** The back end's own error number (Unicorn's uc_err), or -1. */
    public int code() {
        return code;
    }
}
