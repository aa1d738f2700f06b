package dev.sel4sim.vmm.arm.dt;

/**
 * Encodes the three-cell interrupt specifier of the GIC bindings from a GIC INTID: cell 0 is the type
 * (0 = SPI, 1 = PPI), cell 1 the number within the type (SPI n = INTID 32 + n, PPI n = INTID 16 + n), cell 2
 * the flags (trigger in bits [3:0]; for a GICv2 PPI, the mask of CPU interfaces it is wired to in [15:8]).
 */
public final class GicInterruptSpecifier {

    /** Cell 0 for a shared peripheral interrupt. */
    public static final int GIC_SPI = 0;
    /** Cell 0 for a private peripheral interrupt. */
    public static final int GIC_PPI = 1;

    private GicInterruptSpecifier() {
    }

    /**
     * @param intid   the INTID, 32..1019
     * @param trigger rising edge or active-high level
     * @return the three cells
     * @throws IllegalArgumentException for an INTID that is no SPI or a trigger SPIs cannot have
     */
    public static int[] spi(int intid, IrqTrigger trigger) {
        if (intid < 32 || intid > 1019) {
            throw new IllegalArgumentException("INTID " + intid + " is not an SPI (32..1019)");
        }
        if (!trigger.validForSpi()) {
            throw new IllegalArgumentException("an SPI is rising-edge or active-high level, not " + trigger);
        }
        return new int[] {GIC_SPI, intid - 32, trigger.flags()};
    }

    /**
     * @param intid   the INTID, 16..31
     * @param trigger the trigger
     * @param cpuMask bit n set: wired to CPU interface n (GICv2 only; pass 0 for a GICv3)
     * @return the three cells
     * @throws IllegalArgumentException for an INTID that is no PPI or a mask wider than 8 CPUs
     */
    public static int[] ppi(int intid, IrqTrigger trigger, int cpuMask) {
        if (intid < 16 || intid > 31) {
            throw new IllegalArgumentException("INTID " + intid + " is not a PPI (16..31)");
        }
        if ((cpuMask & ~0xff) != 0) {
            throw new IllegalArgumentException("a PPI CPU mask has 8 bits, got 0x" + Integer.toHexString(cpuMask));
        }
        return new int[] {GIC_PPI, intid - 16, cpuMask << 8 | trigger.flags()};
    }
}
