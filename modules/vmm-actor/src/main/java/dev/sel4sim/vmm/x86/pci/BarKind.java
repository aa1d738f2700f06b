package dev.sel4sim.vmm.x86.pci;

/** The kind of space a base address register decodes. */
public enum BarKind {
    /** I/O ports; at least 4 bytes. */
    IO,
    /** 32-bit memory. */
    MEMORY32,
    /** 64-bit memory: the BAR and the next one form one register. */
    MEMORY64
}
