package dev.sel4sim.vmm.arm;

/**
 * An AArch64 system register named by its encoding, as in the Arm ARM's {@code S<op0>_<op1>_C<n>_C<m>_<op2>}.
 *
 * @param op0 0..3
 * @param op1 0..7
 * @param crn 0..15
 * @param crm 0..15
 * @param op2 0..7
 */
public record SysReg(int op0, int op1, int crn, int crm, int op2) {

    /** Checks every field fits its encoding width. */
    public SysReg {
        if ((op0 & ~3) != 0 || (op1 & ~7) != 0 || (crn & ~15) != 0 || (crm & ~15) != 0 || (op2 & ~7) != 0) {
            throw new IllegalArgumentException(
                    "system register fields out of range: " + op0 + "," + op1 + "," + crn + "," + crm + "," + op2);
        }
    }

    /**
     * @return the same register, shorter to write: {@code SysReg.of(3, 3, 14, 3, 1)} is CNTV_CTL_EL0
     */
    public static SysReg of(int op0, int op1, int crn, int crm, int op2) {
        return new SysReg(op0, op1, crn, crm, op2);
    }

    /** @return the assembler's generic name, e.g. {@code S3_3_C14_C3_1} */
    @Override
    public String toString() {
        return "S" + op0 + "_" + op1 + "_C" + crn + "_C" + crm + "_" + op2;
    }
}
