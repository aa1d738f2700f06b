package dev.sel4sim.vmm.x86.decode;

import java.util.HexFormat;

/**
 * The encoding is one the processor itself rejects (a LOCK prefix on a MOV, a 16th byte): the VMM
 * injects {@link #vector} into the guest instead of emulating anything.
 *
 * @param bytes the instruction's bytes as far as examined
 * @param vector the exception the processor raises: 6 (#UD) or 13 (#GP)
 * @param reason why, for logs
 */
public record InvalidInstruction(byte[] bytes, int vector, String reason) implements DecodeResult {
    public static final int UD = 6;
    public static final int GP = 13;

    public InvalidInstruction {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public String toString() {
        return "invalid instruction " + HexFormat.ofDelimiter(" ").formatHex(bytes) + " (vector " + vector
                + "): " + reason;
    }
}
