package dev.sel4sim.vmm.x86.decode;

/**
 * The arithmetic of the read-modify-write forms, so the VMM can finish an instruction whose memory
 * operand is a device register: the result and the six status flags, computed at the operand size.
 */
public final class Alu {
    public static final long CF = 1L;
    public static final long PF = 1L << 2;
    public static final long AF = 1L << 4;
    public static final long ZF = 1L << 6;
    public static final long SF = 1L << 7;
    public static final long OF = 1L << 11;
    /** The flags an arithmetic operation may change; the rest of RFLAGS is kept. */
    public static final long STATUS_FLAGS = CF | PF | AF | ZF | SF | OF;

    private Alu() {
    }

    /**
     * The outcome of one operation.
     *
     * @param value the result truncated to the operand size (for CMP and TEST: computed but not stored)
     * @param rflags the input RFLAGS with the status flags replaced
     */
    public record Result(long value, long rflags) {
    }

    /**
     * Computes {@code destination op source}.
     *
     * @param operation ADD, OR, ADC, SBB, AND, SUB, XOR, CMP or TEST
     * @param size operand size in bytes
     * @param destination the first operand (the memory operand for memory-destination forms)
     * @param source the second operand
     * @param rflags the guest's RFLAGS: CF feeds ADC and SBB, and all non-status bits are kept
     * @throws IllegalArgumentException for an operation that is not arithmetic
     */
    public static Result compute(Operation operation, int size, long destination, long source, long rflags) {
        long mask = Gpr.mask(size);
        long d = destination & mask;
        long s = source & mask;
        long carryIn = (rflags & CF) != 0 ? 1 : 0;
        long r;
        long flags;
        switch (operation) {
            case ADD, ADC -> {
                long c = operation == Operation.ADC ? carryIn : 0;
                r = (d + s + c) & mask;
                long carries = (d & s) | ((d | s) & ~r);
                flags = bit(carries, size, CF) | bit((d ^ r) & (s ^ r), size, OF) | ((d ^ s ^ r) & 0x10);
            }
            case SUB, SBB, CMP -> {
                long c = operation == Operation.SBB ? carryIn : 0;
                r = (d - s - c) & mask;
                long borrows = (~d & s) | (~(d ^ s) & r);
                flags = bit(borrows, size, CF) | bit((d ^ s) & (d ^ r), size, OF) | ((d ^ s ^ r) & 0x10);
            }
            case AND, TEST -> {
                r = d & s;
                flags = 0;
            }
            case OR -> {
                r = d | s;
                flags = 0;
            }
            case XOR -> {
                r = d ^ s;
                flags = 0;
            }
            default -> throw new IllegalArgumentException(operation + " is not an arithmetic operation");
        }
        if (r == 0) {
            flags |= ZF;
        }
        flags |= bit(r, size, SF);
        if (Integer.bitCount((int) (r & 0xff)) % 2 == 0) {
            flags |= PF;
        }
        return new Result(r, (rflags & ~STATUS_FLAGS) | flags);
    }

    /** {@code flag} when the sign bit of a {@code size}-byte value is set in {@code bits}. */
    private static long bit(long bits, int size, long flag) {
        return ((bits >>> (size * 8 - 1)) & 1) != 0 ? flag : 0;
    }
}
