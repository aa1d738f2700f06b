package dev.sel4sim.vmm.arm.decode;

/** The cache maintenance instruction by address; {@link #NONE} for loads and stores. */
public enum CacheOp {
    NONE,
    /** DC ZVA: zero a block; a write for every purpose. */
    DC_ZVA,
    /** DC IVAC: invalidate to the point of coherency; needs write permission at EL1. */
    DC_IVAC,
    DC_CVAC, DC_CVAU, DC_CVAP, DC_CVADP, DC_CIVAC,
    IC_IVAU;

    /** True for the operations the architecture permission-checks as a write (DC IVAC, DC ZVA). */
    public boolean needsWritePermission() {
        return this == DC_IVAC || this == DC_ZVA;
    }
}
