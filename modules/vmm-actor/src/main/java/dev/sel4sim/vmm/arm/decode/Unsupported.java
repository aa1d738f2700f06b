package dev.sel4sim.vmm.arm.decode;

/**
 * The instruction is in the load/store space but is unallocated, CONSTRAINED UNPREDICTABLE, or an
 * extension this decoder does not model (memory tagging, SVE, pointer authentication, ...).
 *
 * @param instruction the instruction word
 * @param reason why it was not decoded, for logs
 */
public record Unsupported(int instruction, String reason) implements DecodeResult {}
