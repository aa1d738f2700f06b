package dev.sel4sim.vmm.x86.decode;

/**
 * An XMM or MMX register operand of MOVD/MOVQ. A load into an XMM register zero-extends to 128 bits;
 * a load into an MMX register to 64.
 *
 * @param number register number (0-15 for XMM, 0-7 for MMX)
 * @param xmm true for XMM, false for MMX
 */
public record VectorRegister(int number, boolean xmm) implements Operand {
    @Override
    public String toString() {
        return (xmm ? "xmm" : "mm") + number;
    }
}
