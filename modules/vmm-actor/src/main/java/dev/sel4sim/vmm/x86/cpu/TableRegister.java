package dev.sel4sim.vmm.x86.cpu;

/**
 * GDTR or IDTR: the linear base and the limit (the last valid byte offset) of a descriptor table.
 */
public record TableRegister(long base, int limit) {
}
