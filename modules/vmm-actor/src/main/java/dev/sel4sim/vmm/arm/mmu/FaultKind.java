package dev.sel4sim.vmm.arm.mmu;

/** The fault classes of a stage-1 data or instruction abort, with their fault status codes. */
public enum FaultKind {
    /** Output or table address beyond the PA size; DFSC 0b0000LL. */
    ADDRESS_SIZE,
    /** Invalid descriptor, VA outside both ranges, or walk disabled by EPDx; DFSC 0b0001LL. */
    TRANSLATION,
    /** Descriptor with AF = 0 (no hardware update); DFSC 0b0010LL. */
    ACCESS_FLAG,
    /** AP/XN/PXN/PAN/WXN forbid the access; DFSC 0b0011LL. */
    PERMISSION,
    /** Misaligned access where the architecture requires alignment; DFSC 0b100001. */
    ALIGNMENT,
    /** Synchronous external abort: on a table walk DFSC 0b0101LL, otherwise 0b010000. */
    SYNC_EXTERNAL_ABORT
}
