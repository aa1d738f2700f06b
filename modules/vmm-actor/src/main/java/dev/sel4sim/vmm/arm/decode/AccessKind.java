package dev.sel4sim.vmm.arm.decode;

/** The direction of a decoded memory access. */
public enum AccessKind {
    /** Reads memory into registers. */
    LOAD,
    /** Writes registers to memory. */
    STORE,
    /** Reads and writes the same location in one instruction (LD&lt;op&gt;, SWP, CAS, CASP). */
    ATOMIC,
    /**
     * A data or instruction cache maintenance instruction by address (DC CIVAC, IC IVAU, ...). It moves no
     * data; the architecture checks it as a read (DC IVAC as a write) and reports it with ESR.CM set.
     */
    CACHE_MAINTENANCE,
    /** DC ZVA: writes zeros to a whole naturally aligned block. */
    ZERO_BLOCK;

    /** True when the access reads memory: loads and atomics. */
    public boolean reads() {
        return this == LOAD || this == ATOMIC;
    }

    /** True when the access writes memory: stores, atomics and DC ZVA. */
    public boolean writes() {
        return this == STORE || this == ATOMIC || this == ZERO_BLOCK;
    }
}
