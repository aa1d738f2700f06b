package dev.sel4sim.boards;

/** Where a device's registers live. */
public enum AddressSpace {
    /** Memory-mapped I/O: the address is a physical address. */
    MMIO,
    /** x86 port I/O: the address is an I/O port number. */
    IO_PORT
}
