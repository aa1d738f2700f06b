package dev.sel4sim.vmm.arm.mmu;

/** Translation granule: page size, and the levels at which a block descriptor is allowed (no LPA/LPA2). */
enum Granule {
    KB4(12), KB16(14), KB64(16);

    /** log2 of the page size. */
    final int shift;

    Granule(int shift) {
        this.shift = shift;
    }

    /** Index bits resolved by one full table level. */
    int stride() {
        return shift - 3;
    }

    boolean blockAllowedAt(int level) {
        return this == KB4 ? level == 1 || level == 2 : level == 2;
    }

    /** TCR_EL1.TG0: 00 4K, 01 64K, 10 16K; the reserved value behaves as 4K. */
    static Granule fromTg0(int tg0) {
        return switch (tg0 & 3) {
            case 1 -> KB64;
            case 2 -> KB16;
            default -> KB4;
        };
    }

    /** TCR_EL1.TG1: 01 16K, 10 4K, 11 64K; the reserved value behaves as 4K. */
    static Granule fromTg1(int tg1) {
        return switch (tg1 & 3) {
            case 1 -> KB16;
            case 3 -> KB64;
            default -> KB4;
        };
    }
}
