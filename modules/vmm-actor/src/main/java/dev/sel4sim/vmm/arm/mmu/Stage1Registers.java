package dev.sel4sim.vmm.arm.mmu;

/**
 * The system registers that control EL1&amp;0 stage-1 translation, read from the VCPU at the fault.
 *
 * @param sctlr SCTLR_EL1 (M bit 0, A bit 1, I bit 12, WXN bit 19, EE bit 25)
 * @param tcr TCR_EL1
 * @param ttbr0 TTBR0_EL1 (ASID and CnP ignored)
 * @param ttbr1 TTBR1_EL1
 * @param mair MAIR_EL1, for the memory type of a translation
 * @param implementedPaBits physical address size the CPU implements (ID_AA64MMFR0_EL1.PARange as bits)
 */
public record Stage1Registers(long sctlr, long tcr, long ttbr0, long ttbr1, long mair, int implementedPaBits) {

    public Stage1Registers {
        if (implementedPaBits < 32 || implementedPaBits > 52) {
            throw new IllegalArgumentException("implemented PA bits must be 32..52: " + implementedPaBits);
        }
    }

    /** Physical address bits for an ID_AA64MMFR0_EL1.PARange (or TCR_EL1.IPS) value; reserved values give 52. */
    public static int addressBits(int parange) {
        return switch (parange & 7) {
            case 0 -> 32;
            case 1 -> 36;
            case 2 -> 40;
            case 3 -> 42;
            case 4 -> 44;
            case 5 -> 48;
            default -> 52;
        };
    }

    /** True when SCTLR_EL1.M enables stage 1. */
    public boolean mmuEnabled() {
        return (sctlr & 1) != 0;
    }
}
