package dev.sel4sim.vmm.boot;

/** The images do not fit the guest's RAM under the boot protocol's rules: the message gives the numbers. */
public final class BootLayoutException extends Exception {

    private static final long serialVersionUID = 1L;

    /** @param message which rule failed, with the addresses and sizes involved */
    public BootLayoutException(String message) {
        super(message);
    }
}
