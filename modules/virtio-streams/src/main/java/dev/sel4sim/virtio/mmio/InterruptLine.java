package dev.sel4sim.virtio.mmio;

/** The device's interrupt output, wired by the VMM to an SPI of its virtual GIC. Level-triggered. */
@FunctionalInterface
public interface InterruptLine {
    /** Drives the line: high while the device has unacknowledged interrupts. */
    void set(boolean level);
}
