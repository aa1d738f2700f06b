package dev.sel4sim.vmm.x86.pci;

/**
 * One PCI function's configuration space as the bus sees it. Offsets are 0-255 and an access never
 * crosses a 4-byte boundary; implementations must accept any offset and size without throwing.
 */
public interface PciFunction {
    /** Reads {@code size} (1, 2 or 4) bytes at {@code offset}, little-endian. */
    int configRead(int offset, int size);

    /** Writes the low {@code size} bytes of {@code value} at {@code offset}. */
    void configWrite(int offset, int size, int value);
}
