package dev.sel4sim.vmm.arm.mmu;

import java.util.OptionalLong;

/** Guest physical memory as the table walker reads it. */
public interface PhysicalMemory {
    /**
     * The 64-bit little-endian word at a physical address, or empty when the address is not RAM (an MMIO
     * region or nothing at all): the walk then ends in a synchronous external abort on the walk.
     */
    OptionalLong read64(long physicalAddress);
}
