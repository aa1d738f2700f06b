package dev.sel4sim.vmm.x86.pci;

/**
 * A PCI function with I/O BARs, asked on every access whether it decodes the port: the guest may move
 * a BAR or turn I/O decode off at any time, so nothing about its placement is cached outside the
 * function's configuration space. Guest input is never trusted: any port, size or value must give a
 * defined result, never an exception.
 */
public interface PciIoTarget {
    /** @return whether I/O decode is on and one of the function's I/O BARs holds {@code port} */
    boolean decodesIo(int port);

    /** IN of {@code size} bytes (1, 2 or 4) from a port the function decodes. */
    int ioRead(int port, int size);

    /** OUT of the low {@code size} bytes (1, 2 or 4) of {@code value} to a port the function decodes. */
    void ioWrite(int port, int size, int value);
}
