package dev.sel4sim.vmm.arm.gic;

import dev.sel4sim.vmm.cpu.SysReg;

/** Encodings of the GICv3 CPU interface system registers a guest at EL1 uses (IHI 0069, chapter 12). */
public final class Icc {

    public static final SysReg PMR_EL1 = SysReg.of(3, 0, 4, 6, 0);
    public static final SysReg IAR0_EL1 = SysReg.of(3, 0, 12, 8, 0);
    public static final SysReg EOIR0_EL1 = SysReg.of(3, 0, 12, 8, 1);
    public static final SysReg HPPIR0_EL1 = SysReg.of(3, 0, 12, 8, 2);
    public static final SysReg BPR0_EL1 = SysReg.of(3, 0, 12, 8, 3);
    /** ICC_AP0R0_EL1; AP0R1..3 are op2 5..7. */
    public static final SysReg AP0R0_EL1 = SysReg.of(3, 0, 12, 8, 4);
    /** ICC_AP1R0_EL1; AP1R1..3 are op2 1..3. */
    public static final SysReg AP1R0_EL1 = SysReg.of(3, 0, 12, 9, 0);
    public static final SysReg DIR_EL1 = SysReg.of(3, 0, 12, 11, 1);
    public static final SysReg RPR_EL1 = SysReg.of(3, 0, 12, 11, 3);
    public static final SysReg SGI1R_EL1 = SysReg.of(3, 0, 12, 11, 5);
    public static final SysReg ASGI1R_EL1 = SysReg.of(3, 0, 12, 11, 6);
    public static final SysReg SGI0R_EL1 = SysReg.of(3, 0, 12, 11, 7);
    public static final SysReg IAR1_EL1 = SysReg.of(3, 0, 12, 12, 0);
    public static final SysReg EOIR1_EL1 = SysReg.of(3, 0, 12, 12, 1);
    public static final SysReg HPPIR1_EL1 = SysReg.of(3, 0, 12, 12, 2);
    public static final SysReg BPR1_EL1 = SysReg.of(3, 0, 12, 12, 3);
    public static final SysReg CTLR_EL1 = SysReg.of(3, 0, 12, 12, 4);
    public static final SysReg SRE_EL1 = SysReg.of(3, 0, 12, 12, 5);
    public static final SysReg IGRPEN0_EL1 = SysReg.of(3, 0, 12, 12, 6);
    public static final SysReg IGRPEN1_EL1 = SysReg.of(3, 0, 12, 12, 7);

    private Icc() {
    }

    /**
     * @param reg a system register
     * @return whether it is in the EL1 GIC CPU interface space this model answers for
     */
    public static boolean isIcc(SysReg reg) {
        if (reg.op0() != 3 || reg.op1() != 0) {
            return false;
        }
        if (reg.equals(PMR_EL1)) {
            return true;
        }
        return reg.crn() == 12 && (reg.crm() == 8 || reg.crm() == 9 || reg.crm() == 11 || reg.crm() == 12);
    }
}
