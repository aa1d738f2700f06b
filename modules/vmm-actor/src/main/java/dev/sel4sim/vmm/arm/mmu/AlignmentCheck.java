package dev.sel4sim.vmm.arm.mmu;

import dev.sel4sim.vmm.arm.decode.AccessKind;
import dev.sel4sim.vmm.arm.decode.MemoryAccess;
import java.util.Optional;

/**
 * Alignment faults, which the CPU back end reports like any other abort. Without FEAT_LSE2: exclusives,
 * atomics and acquire/release need their whole access naturally aligned; SCTLR_EL1.A makes every data
 * access need element alignment; Device memory needs element alignment and refuses DC ZVA outright.
 * Cache maintenance instructions never take alignment faults.
 */
public final class AlignmentCheck {
    private static final long SCTLR_A = 1L << 1;

    private AlignmentCheck() {}

    /**
     * The alignment fault of an access, if it takes one.
     *
     * @param va the effective address
     * @param sctlr SCTLR_EL1
     * @param device the translation's memory type is Device (always so for data with the MMU off)
     */
    public static Optional<Fault> check(MemoryAccess access, long va, long sctlr, boolean device) {
        if (access.kind() == AccessKind.CACHE_MAINTENANCE) {
            return Optional.empty();
        }
        boolean misaligned;
        if (access.kind() == AccessKind.ZERO_BLOCK) {
            misaligned = device;
        } else {
            int required = access.requiredAlignment();
            if ((sctlr & SCTLR_A) != 0 || device) {
                required = Math.max(required, access.elementSize());
            }
            misaligned = (va & (required - 1)) != 0;
        }
        return misaligned
                ? Optional.of(Fault.of(FaultKind.ALIGNMENT, 0, false, AccessType.of(access), false))
                : Optional.empty();
    }
}
