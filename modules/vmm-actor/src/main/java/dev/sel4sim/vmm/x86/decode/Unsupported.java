package dev.sel4sim.vmm.x86.decode;

import java.util.HexFormat;

/**
 * The bytes are (or may be) a valid instruction but not one whose memory access this decoder
 * emulates, or they ran out before the instruction ended. The VMM reports a VM fault naming them.
 *
 * @param bytes the bytes examined, from the instruction's first byte
 * @param reason what was not understood, for the fault message
 */
public record Unsupported(byte[] bytes, String reason) implements DecodeResult {
    public Unsupported {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public String toString() {
        return "unsupported instruction " + HexFormat.ofDelimiter(" ").formatHex(bytes) + ": " + reason;
    }
}
