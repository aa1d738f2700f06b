package dev.sel4sim.vmm.cpu;

/**
 * An AArch64 system register named by its MRS/MSR encoding (op0, op1, CRn, CRm, op2).
 * The encoding is how the architecture, the trap syndrome (ESR EC 0x18) and the CPU
 * back end all name a system register, so it is the one key used everywhere.
 */
public record SysReg(int op0, int op1, int crn, int crm, int op2) {

    /** Checks every field fits its encoding width. */
    public SysReg {
        if ((op0 & ~3) != 0 || (op1 & ~7) != 0 || (crn & ~15) != 0 || (crm & ~15) != 0 || (op2 & ~7) != 0) {
            throw new IllegalArgumentException(
                    "system register fields out of range: " + op0 + "," + op1 + "," + crn + "," + crm + "," + op2);
        }
    }

    /** The same register, shorter to write: {@code SysReg.of(3, 3, 14, 3, 1)} is CNTV_CTL_EL0. */
    public static SysReg of(int op0, int op1, int crn, int crm, int op2) {
        return new SysReg(op0, op1, crn, crm, op2);
    }

    public static final SysReg SCTLR_EL1 = new SysReg(3, 0, 1, 0, 0);
    public static final SysReg CPACR_EL1 = new SysReg(3, 0, 1, 0, 2);
    public static final SysReg TTBR0_EL1 = new SysReg(3, 0, 2, 0, 0);
    public static final SysReg TTBR1_EL1 = new SysReg(3, 0, 2, 0, 1);
    public static final SysReg TCR_EL1 = new SysReg(3, 0, 2, 0, 2);
    public static final SysReg SPSR_EL1 = new SysReg(3, 0, 4, 0, 0);
    public static final SysReg ELR_EL1 = new SysReg(3, 0, 4, 0, 1);
    public static final SysReg SP_EL0 = new SysReg(3, 0, 4, 1, 0);
    public static final SysReg SP_EL1 = new SysReg(3, 4, 4, 1, 0);
    public static final SysReg ESR_EL1 = new SysReg(3, 0, 5, 2, 0);
    public static final SysReg FAR_EL1 = new SysReg(3, 0, 6, 0, 0);
    public static final SysReg PAR_EL1 = new SysReg(3, 0, 7, 4, 0);
    public static final SysReg MAIR_EL1 = new SysReg(3, 0, 10, 2, 0);
    public static final SysReg VBAR_EL1 = new SysReg(3, 0, 12, 0, 0);
    public static final SysReg CONTEXTIDR_EL1 = new SysReg(3, 0, 13, 0, 1);
    public static final SysReg TPIDR_EL1 = new SysReg(3, 0, 13, 0, 4);
    public static final SysReg MPIDR_EL1 = new SysReg(3, 0, 0, 0, 5);
    public static final SysReg MIDR_EL1 = new SysReg(3, 0, 0, 0, 0);
    public static final SysReg SCR_EL3 = new SysReg(3, 6, 1, 1, 0);
    public static final SysReg HCR_EL2 = new SysReg(3, 4, 1, 1, 0);
    public static final SysReg DAIF = new SysReg(3, 3, 4, 2, 1);
    public static final SysReg NZCV = new SysReg(3, 3, 4, 2, 0);
    public static final SysReg CURRENT_EL = new SysReg(3, 0, 4, 2, 2);

    /** The register as the assembler spells an unnamed one: {@code S3_0_C1_C0_0}. */
    @Override
    public String toString() {
        return "S" + op0 + "_" + op1 + "_C" + crn + "_C" + crm + "_" + op2;
    }
}
