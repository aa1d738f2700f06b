package dev.sel4sim.vmm.arm.mmu;

/** A configuration the walker does not model (52-bit addresses, FEAT_LPA2 descriptors). */
public record UnsupportedTranslation(String reason) implements WalkResult {}
