package dev.sel4sim.vmm.arm.decode;

/**
 * The base-register update of a pre- or post-indexed access.
 *
 * @param register the base register, 31 meaning SP
 * @param value its new value
 */
public record Writeback(int register, long value) {}
