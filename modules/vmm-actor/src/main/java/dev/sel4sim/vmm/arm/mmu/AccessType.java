package dev.sel4sim.vmm.arm.mmu;

import dev.sel4sim.vmm.arm.decode.CacheOp;
import dev.sel4sim.vmm.arm.decode.MemoryAccess;

/** What a translated access does, as the permission checks and the syndrome see it. */
public enum AccessType {
    READ,
    WRITE,
    /** An atomic read-modify-write: needs read and write permission; WnR tells which one failed. */
    READ_WRITE,
    EXECUTE,
    /**
     * DC CVAC/CVAU/CVAP/CVADP/CIVAC and IC IVAU: no permission fault at EL1, needs read permission at EL0.
     * Reported with ESR.CM = 1 and WnR = 1.
     */
    CACHE_MAINTENANCE,
    /** DC IVAC: needs write permission. Reported with ESR.CM = 1 and WnR = 1. */
    CACHE_INVALIDATE;

    /** True for the cache maintenance kinds, reported with ESR.CM set. */
    public boolean isCacheMaintenance() {
        return this == CACHE_MAINTENANCE || this == CACHE_INVALIDATE;
    }

    /** The type to translate a decoded access with. DC ZVA is a plain write. */
    public static AccessType of(MemoryAccess access) {
        return switch (access.kind()) {
            case LOAD -> READ;
            case STORE, ZERO_BLOCK -> WRITE;
            case ATOMIC -> READ_WRITE;
            case CACHE_MAINTENANCE -> access.cacheOp() == CacheOp.DC_IVAC ? CACHE_INVALIDATE : CACHE_MAINTENANCE;
        };
    }
}
