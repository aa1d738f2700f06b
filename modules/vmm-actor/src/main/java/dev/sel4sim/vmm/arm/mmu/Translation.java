package dev.sel4sim.vmm.arm.mmu;

/**
 * A successful translation.
 *
 * @param physicalAddress the output address of the byte at the translated VA
 * @param attributes memory type and permissions
 * @param level the level of the leaf descriptor, or -1 when stage 1 is disabled
 * @param blockSize bytes mapped by the leaf descriptor (page or block); 4096 when stage 1 is disabled
 */
public record Translation(long physicalAddress, PageAttributes attributes, int level, long blockSize)
        implements WalkResult {}
