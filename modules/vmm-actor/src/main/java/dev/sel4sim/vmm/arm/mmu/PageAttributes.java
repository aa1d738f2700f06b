package dev.sel4sim.vmm.arm.mmu;

/**
 * Attributes of a translation.
 *
 * @param attrIndex AttrIndx[2:0] of the descriptor
 * @param memoryAttributes the MAIR_EL1 byte it selects (0x00 Device-nGnRnE ... 0xFF Normal WB)
 * @param shareability SH[1:0]
 * @param notGlobal nG
 * @param dirtyBitModifier DBM
 * @param contiguous the Contiguous hint
 * @param permissions what EL0 and EL1 may do
 */
public record PageAttributes(int attrIndex, int memoryAttributes, int shareability, boolean notGlobal,
                             boolean dirtyBitModifier, boolean contiguous, Permissions permissions) {

    /** True for Device memory (MAIR byte 0b0000dd00): unaligned data accesses fault. */
    public boolean isDevice() {
        return (memoryAttributes & 0xF0) == 0;
    }
}
