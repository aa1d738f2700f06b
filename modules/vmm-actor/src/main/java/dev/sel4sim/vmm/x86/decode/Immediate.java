package dev.sel4sim.vmm.x86.decode;

/**
 * An immediate operand, already sign-extended to the operand size and truncated to it: the exact
 * bytes (little-endian) a store writes, or the source of an arithmetic operation.
 *
 * @param value the value, zero above the operand size (all 64 bits for 8-byte operands)
 */
public record Immediate(long value) implements Operand {
    @Override
    public String toString() {
        return "0x" + Long.toHexString(value);
    }
}
