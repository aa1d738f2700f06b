package dev.sel4sim.vmm.boot.fdt;

/** A device tree blob that does not follow the format: the message names the field or offset at fault. */
public final class FdtFormatException extends Exception {

    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, and where */
    public FdtFormatException(String message) {
        super(message);
    }
}
