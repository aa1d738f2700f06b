package dev.sel4sim.vmm.x86.decode;

/** What the instruction does with the memory operand. */
public enum Operation {
    MOV, MOVZX, MOVSX,
    /** 32-bit move between memory and an XMM or MMX register. */
    MOVD,
    /** 64-bit move between memory and an XMM or MMX register. */
    MOVQ,
    ADD, OR, ADC, SBB, AND, SUB, XOR, CMP, TEST, XCHG,
    MOVS, STOS, LODS;

    private static final Operation[] GROUP1 = {ADD, OR, ADC, SBB, AND, SUB, XOR, CMP};

    /** The arithmetic operation selected by a 3-bit group-1 index (opcode bits 5:3 or ModRM.reg). */
    static Operation group1(int index) {
        return GROUP1[index & 7];
    }

    /** True for the operations {@link Alu} computes. */
    public boolean isArithmetic() {
        return switch (this) {
            case ADD, OR, ADC, SBB, AND, SUB, XOR, CMP, TEST -> true;
            default -> false;
        };
    }

    /** True when the operation only sets flags and stores no result. */
    public boolean onlySetsFlags() {
        return this == CMP || this == TEST;
    }
}
