package dev.sel4sim.vmm.x86.decode;

/** Direction of the memory access. */
public enum AccessKind {
    /** Memory is read (loads, CMP and TEST, arithmetic with a register destination, LODS). */
    READ,
    /** Memory is written (stores, STOS). */
    WRITE,
    /** Memory is read, then the result written back (arithmetic with a memory destination, XCHG). */
    READ_WRITE,
    /**
     * MOVS: one location is read and another written; the access's address is the source and its
     * operand the destination, so the faulting address says which side is the device.
     */
    COPY;

    /** True when memory at the access's address is read. */
    public boolean reads() {
        return this != WRITE;
    }

    /** True when memory at the access's address (or, for COPY, at the operand) is written. */
    public boolean writes() {
        return this != READ;
    }
}
