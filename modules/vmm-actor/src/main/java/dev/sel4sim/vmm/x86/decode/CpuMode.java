package dev.sel4sim.vmm.x86.decode;

/**
 * The code-segment size the instruction runs in: it sets the default operand and address sizes that
 * the 66h and 67h prefixes toggle, and whether REX prefixes exist.
 */
public enum CpuMode {
    /** Real mode, virtual-8086 mode, or protected mode with a 16-bit code segment (CS.D = 0). */
    BITS16(2, 2),
    /** Protected mode or compatibility mode with a 32-bit code segment (CS.D = 1). */
    BITS32(4, 4),
    /** 64-bit long mode (CS.L = 1). */
    BITS64(4, 8);

    private final int defaultOperandSize;
    private final int defaultAddressSize;

    CpuMode(int defaultOperandSize, int defaultAddressSize) {
        this.defaultOperandSize = defaultOperandSize;
        this.defaultAddressSize = defaultAddressSize;
    }

    /** Operand size in bytes without prefixes. */
    public int defaultOperandSize() {
        return defaultOperandSize;
    }

    /** Address size in bytes without prefixes. */
    public int defaultAddressSize() {
        return defaultAddressSize;
    }
}
