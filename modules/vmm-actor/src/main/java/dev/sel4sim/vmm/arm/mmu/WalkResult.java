package dev.sel4sim.vmm.arm.mmu;

/** The outcome of a stage-1 translation. */
public sealed interface WalkResult permits Translation, Fault, UnsupportedTranslation {}
