package dev.sel4sim.vmm.arm.decode;

/**
 * The instruction cannot cause a data abort: it is not a load, store or cache maintenance by address,
 * or it is a prefetch hint, which never faults.
 *
 * @param description what the instruction is, for logs
 */
public record NotMemoryAccess(String description) implements DecodeResult {}
