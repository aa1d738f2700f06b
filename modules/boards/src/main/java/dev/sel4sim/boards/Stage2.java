package dev.sel4sim.boards;

import java.util.Objects;

/**
 * The shape of the second-stage translation (guest-physical to host-physical) a VMM builds on a board.
 *
 * <p>ARM stage 2 with a 4 KiB granule: up to 40 physical-address bits use 3 levels starting at level 1, with
 * {@code 2^(paBits - 39)} concatenated level-1 tables above 39 bits (seL4's {@code AARCH64_VSPACE_S2_START_L1}
 * for {@code KernelArmPASizeBits40}); 44 or 48 bits use 4 levels starting at level 0. x86 EPT always has
 * 4 levels (48-bit guest-physical addresses).
 *
 * @param kind               ARM stage 2 or x86 EPT
 * @param paBits             physical (and intermediate physical) address bits
 * @param levels             translation levels
 * @param startLevel         the first level walked (0 or 1)
 * @param concatenatedTables the number of concatenated tables at the start level (1 if none)
 */
public record Stage2(Kind kind, int paBits, int levels, int startLevel, int concatenatedTables) {

    /** Which translation hardware. */
    public enum Kind {
        /** ARM stage-2 translation (VTTBR/VTCR). */
        ARM_STAGE2,
        /** Intel extended page tables. */
        X86_EPT
    }

    /** Checks the fields. */
    public Stage2 {
        Objects.requireNonNull(kind, "kind");
        if (levels < 2 || levels > 4 || startLevel < 0 || startLevel > 3 || concatenatedTables < 1) {
            throw new IllegalArgumentException("impossible stage-2 shape");
        }
    }

    /**
     * @param paBits physical-address bits, 32..48
     * @return the ARM stage-2 shape seL4 uses for that width
     */
    public static Stage2 arm(int paBits) {
        if (paBits < 32 || paBits > 48) {
            throw new IllegalArgumentException("ARM physical-address bits must be 32..48, got " + paBits);
        }
        if (paBits <= 40) {
            int concatenated = paBits > 39 ? 1 << (paBits - 39) : 1;
            return new Stage2(Kind.ARM_STAGE2, paBits, 3, 1, concatenated);
        }
        return new Stage2(Kind.ARM_STAGE2, paBits, 4, 0, 1);
    }

    /** @return x86 EPT: 4 levels, 48-bit guest-physical addresses */
    public static Stage2 ept() {
        return new Stage2(Kind.X86_EPT, 48, 4, 0, 1);
    }

    /** @return the size of the guest-physical address space in bytes */
    public long addressSpaceSize() {
        return 1L << paBits;
    }
}
