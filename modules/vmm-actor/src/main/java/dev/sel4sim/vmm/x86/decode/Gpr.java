package dev.sel4sim.vmm.x86.decode;

/**
 * A general-purpose register operand.
 *
 * @param number register number in encoding order: 0 = rAX, 1 = rCX, 2 = rDX, 3 = rBX, 4 = rSP,
 *     5 = rBP, 6 = rSI, 7 = rDI, 8-15 = R8-R15
 * @param size operand width in bytes: 1, 2, 4 or 8
 * @param highByte true for AH, CH, DH and BH: bits 15:8 of register {@code number} (0-3)
 */
public record Gpr(int number, int size, boolean highByte) implements Operand {
    public static final int RAX = 0;
    public static final int RCX = 1;
    public static final int RDX = 2;
    public static final int RBX = 3;
    public static final int RSP = 4;
    public static final int RBP = 5;
    public static final int RSI = 6;
    public static final int RDI = 7;

    public Gpr {
        if (number < 0 || number > 15) {
            throw new IllegalArgumentException("register number " + number);
        }
        if (size != 1 && size != 2 && size != 4 && size != 8) {
            throw new IllegalArgumentException("register size " + size);
        }
        if (highByte && (size != 1 || number > 3)) {
            throw new IllegalArgumentException("high-byte registers are AH, CH, DH and BH only");
        }
    }

    /** The operand's value taken from the full 64-bit register. */
    public long valueIn(long register) {
        if (highByte) {
            return (register >>> 8) & 0xff;
        }
        return register & mask(size);
    }

    /**
     * The full register after writing {@code value} to this operand: 8- and 16-bit writes keep the
     * other bits, a 32-bit write clears bits 63:32 (as 64-bit mode does; outside it they do not exist).
     */
    public long merge(long register, long value) {
        if (highByte) {
            return (register & ~0xff00L) | ((value & 0xff) << 8);
        }
        return switch (size) {
            case 1 -> (register & ~0xffL) | (value & 0xff);
            case 2 -> (register & ~0xffffL) | (value & 0xffff);
            case 4 -> value & 0xffff_ffffL;
            default -> value;
        };
    }

    /** All-ones in the low {@code bytes} bytes. */
    static long mask(int bytes) {
        return bytes >= 8 ? -1L : (1L << (bytes * 8)) - 1;
    }

    @Override
    public String toString() {
        return Registers.name(this);
    }
}
