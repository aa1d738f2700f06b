package dev.sel4sim.vmm.x86.decode;

/** How a value read from memory is widened to the register operand. */
public enum Extension {
    /** No widening: memory and register operand have the same size. */
    NONE,
    /** MOVZX, and MOVD/MOVQ into a vector register. */
    ZERO,
    /** MOVSX. */
    SIGN
}
