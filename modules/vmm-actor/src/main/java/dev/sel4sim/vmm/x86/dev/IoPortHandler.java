package dev.sel4sim.vmm.x86.dev;

/**
 * A device's I/O ports. Called on the VCPU's thread while the IN or OUT instruction waits. Ports are
 * absolute port numbers, so one device may claim several ranges (the PIC's 0x20, 0xA0 and 0x4D0).
 * Guest input is never trusted: any port, size or value must give a defined result, never an exception.
 */
public interface IoPortHandler {
    /**
     * IN of {@code size} bytes (1, 2 or 4).
     *
     * @return the value, zero above {@code size} bytes
     */
    int read(int port, int size);

    /** OUT of the low {@code size} bytes (1, 2 or 4) of {@code value}. */
    void write(int port, int size, int value);
}
