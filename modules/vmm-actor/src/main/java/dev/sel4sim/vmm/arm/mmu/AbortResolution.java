package dev.sel4sim.vmm.arm.mmu;

import dev.sel4sim.vmm.arm.decode.MemoryAccess;

/** What {@link AbortResolver} concluded about an abort the CPU back end reported without syndrome. */
public sealed interface AbortResolution {

    /**
     * The guest takes this abort: write ESR_EL1 and FAR_EL1 and enter its exception vector.
     *
     * @param fault the fault found
     * @param faultAddress the FAR_EL1 value
     * @param syndrome the ESR_EL1 value
     */
    record GuestAbort(Fault fault, long faultAddress, long syndrome) implements AbortResolution {}

    /**
     * Stage 1 allows the access: the abort is the VMM's (an MMIO region, or a physical address with
     * nothing behind it).
     *
     * @param access the decoded access, for MMIO emulation
     * @param virtualAddress the lowest address accessed
     * @param translation the translation of that address
     */
    record Stage1Allows(MemoryAccess access, long virtualAddress, Translation translation)
            implements AbortResolution {}

    /** The instruction could not be explained (not an access, unsupported, or a configuration not modelled). */
    record Unresolved(String reason) implements AbortResolution {}
}
