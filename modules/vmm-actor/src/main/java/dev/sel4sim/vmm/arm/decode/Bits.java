package dev.sel4sim.vmm.arm.decode;

/** Field extraction from a 32-bit instruction word. */
final class Bits {
    private Bits() {}

    /** Bits hi..lo of the word, as an unsigned value. */
    static int field(int insn, int hi, int lo) {
        return (insn >>> lo) & ((1 << (hi - lo + 1)) - 1);
    }

    static boolean bit(int insn, int position) {
        return ((insn >>> position) & 1) != 0;
    }

    /** The low {@code width} bits of value, sign-extended. */
    static long signed(long value, int width) {
        return (value << (64 - width)) >> (64 - width);
    }

    static int rt(int insn) {
        return insn & 0x1F;
    }

    static int rn(int insn) {
        return (insn >>> 5) & 0x1F;
    }

    /** The B/H suffix of a general-register access of 1 &lt;&lt; size bytes, empty for W and X. */
    static String sizeSuffix(int size) {
        return switch (size) {
            case 0 -> "B";
            case 1 -> "H";
            default -> "";
        };
    }
}
