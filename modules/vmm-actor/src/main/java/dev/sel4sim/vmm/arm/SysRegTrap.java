package dev.sel4sim.vmm.arm;

import dev.sel4sim.vmm.cpu.SysReg;

import java.util.Optional;

/**
 * One trapped MRS or MSR: which register, which general-purpose register carries the value, and the
 * direction.
 *
 * @param reg  the system register
 * @param rt   the transfer register, 0..31 (31 is XZR)
 * @param read true for MRS (the guest reads the system register)
 */
public record SysRegTrap(SysReg reg, int rt, boolean read) {

    /** Checks the transfer register number. */
    public SysRegTrap {
        if (reg == null) {
            throw new IllegalArgumentException("reg");
        }
        if (rt < 0 || rt > 31) {
            throw new IllegalArgumentException("rt must be 0..31, got " + rt);
        }
    }

    /**
     * Decodes the ISS of an ESR with exception class 0x18 (trapped MSR, MRS or system instruction):
     * Op0 [21:20], Op2 [19:17], Op1 [16:14], CRn [13:10], Rt [9:5], CRm [4:1], Direction [0] (1 = read).
     *
     * @param iss the low 25 bits of the syndrome; higher bits are ignored
     * @return the access
     */
    public static SysRegTrap fromIss(int iss) {
        SysReg reg = new SysReg((iss >>> 20) & 3, (iss >>> 14) & 7, (iss >>> 10) & 15, (iss >>> 1) & 15,
                (iss >>> 17) & 7);
        return new SysRegTrap(reg, (iss >>> 5) & 31, (iss & 1) != 0);
    }

    /**
     * Decodes an A64 MRS or MSR (register) instruction: {@code 1101010100 L 1 o0 op1 CRn CRm op2 Rt}, where
     * op0 is {@code 2 + o0}. The VMM needs this where the CPU back end reports an undefined instruction
     * instead of a syndrome.
     *
     * @param insn the 32-bit instruction word
     * @return the access, or empty if the word is not an MRS or MSR (register)
     */
    public static Optional<SysRegTrap> fromInstruction(int insn) {
        if ((insn & 0xFFD0_0000) != 0xD510_0000) {
            return Optional.empty();
        }
        SysReg reg = new SysReg((insn >>> 19) & 3, (insn >>> 16) & 7, (insn >>> 12) & 15, (insn >>> 8) & 15,
                (insn >>> 5) & 7);
        return Optional.of(new SysRegTrap(reg, insn & 31, (insn & (1 << 21)) != 0));
    }

    /** The ISS of this access as ESR_EL1 carries it for exception class 0x18; the inverse of {@link #fromIss}. */
    public int iss() {
        return (reg.op0() << 20) | (reg.op2() << 17) | (reg.op1() << 14) | (reg.crn() << 10) | (rt << 5) | (reg.crm() << 1)
                | (read ? 1 : 0);
    }
}
