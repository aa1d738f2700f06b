package dev.sel4sim.vmm.x86.decode;

import java.util.function.IntToLongFunction;

/**
 * How an instruction forms a memory address: segment:[base + index * scale + displacement], computed
 * at the address size. The exit already gives the VMM the physical address; this is for logs, for
 * checks, and for the side of a MOVS that did not fault.
 *
 * @param segment the segment the access uses (the override, or the default for the base register)
 * @param segmentOverride true when a segment prefix chose the segment
 * @param base base register number (0-15), {@link #RIP} for RIP-relative, or {@link #NONE}
 * @param index index register number (0-15) or {@link #NONE}
 * @param scale 1, 2, 4 or 8
 * @param displacement sign-extended displacement (for a moffs form, the whole offset, zero-extended)
 * @param addressSize 2, 4 or 8 bytes: the width the sum wraps at
 */
public record Address(Segment segment, boolean segmentOverride, int base, int index, int scale,
                      long displacement, int addressSize) {
    /** No register. */
    public static final int NONE = -1;
    /** The base of a RIP-relative address: the address of the next instruction. */
    public static final int RIP = 16;

    /**
     * The offset within the segment.
     *
     * @param registers full 64-bit values of general registers by number
     * @param nextInstruction RIP after this instruction (RIP plus the instruction length)
     */
    public long effectiveAddress(IntToLongFunction registers, long nextInstruction) {
        long sum = displacement;
        if (base == RIP) {
            sum += nextInstruction;
        } else if (base != NONE) {
            sum += registers.applyAsLong(base);
        }
        if (index != NONE) {
            sum += registers.applyAsLong(index) * scale;
        }
        return sum & Gpr.mask(addressSize);
    }

    /** Intel-like rendering with the segment always shown, e.g. {@code ss:[rbp+rsi*4-0x8]}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(segment.name().toLowerCase()).append(":[");
        String sep = "";
        if (base != NONE) {
            sb.append(Registers.addressName(base, addressSize));
            sep = "+";
        }
        if (index != NONE) {
            sb.append(sep).append(Registers.addressName(index, addressSize)).append('*').append(scale);
            sep = "+";
        }
        if (sep.isEmpty()) {
            sb.append("0x").append(Long.toHexString(displacement & Gpr.mask(addressSize)));
        } else if (displacement < 0) {
            sb.append("-0x").append(Long.toHexString(-displacement));
        } else if (displacement > 0) {
            sb.append("+0x").append(Long.toHexString(displacement));
        }
        return sb.append(']').toString();
    }
}
