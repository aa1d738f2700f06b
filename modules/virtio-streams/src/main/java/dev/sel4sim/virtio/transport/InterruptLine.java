package dev.sel4sim.virtio.transport;

/**
 * A transport's interrupt output, wired by the VMM to its interrupt controller (an SPI of the virtual GIC, a PCI
 * INTx pin routed to the PIC or IOAPIC). Level-triggered.
 */
@FunctionalInterface
public interface InterruptLine {
    /** Drives the line: high while the device has unacknowledged interrupts. */
    void set(boolean level);
}
