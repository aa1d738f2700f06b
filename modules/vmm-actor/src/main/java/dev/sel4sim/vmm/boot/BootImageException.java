package dev.sel4sim.vmm.boot;

/** A guest image that cannot be booted as it is: the message says what the file is and how to fix it. */
public final class BootImageException extends Exception {

    private static final long serialVersionUID = 1L;

    /** @param message what is wrong and, where possible, what to do */
    public BootImageException(String message) {
        super(message);
    }
}
