package dev.sel4sim.vmm.x86.intr;

/**
 * An interrupt could not be delivered through the guest's tables (a vector beyond the IDT limit, a
 * gate not present, a bad target segment, a stack that is not memory). Real hardware would raise a
 * further fault and, in the end, reset; the VMM stops this VM with the message instead.
 */
public final class DeliveryFailure extends Exception {
    private static final long serialVersionUID = 1L;

    public DeliveryFailure(String message) {
        super(message);
    }
}
