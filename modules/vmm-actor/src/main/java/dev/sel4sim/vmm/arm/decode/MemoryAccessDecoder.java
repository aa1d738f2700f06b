package dev.sel4sim.vmm.arm.decode;

import static dev.sel4sim.vmm.arm.decode.Bits.bit;
import static dev.sel4sim.vmm.arm.decode.Bits.field;

/**
 * Decodes an A64 instruction word into the memory access it performs, for building a data abort's
 * syndrome and fault address and for emulating MMIO. Never throws for any instruction word.
 */
public final class MemoryAccessDecoder {
    /** The DC ZVA block size of the CPUs we model (DCZID_EL0.BS = 4: 16 words). */
    public static final int DEFAULT_ZERO_BLOCK_BYTES = 64;

    private MemoryAccessDecoder() {}

    /** Decodes with the default 64-byte DC ZVA block. */
    public static DecodeResult decode(int insn) {
        return decode(insn, DEFAULT_ZERO_BLOCK_BYTES);
    }

    /**
     * Decodes one instruction word.
     *
     * @param insn the little-endian instruction word as fetched
     * @param zeroBlockBytes the DC ZVA block size (4 &lt;&lt; DCZID_EL0.BS), a power of two from 4 to 2048
     */
    public static DecodeResult decode(int insn, int zeroBlockBytes) {
        if (Integer.bitCount(zeroBlockBytes) != 1 || zeroBlockBytes < 4 || zeroBlockBytes > 2048) {
            throw new IllegalArgumentException("DC ZVA block size must be a power of two in 4..2048: "
                    + zeroBlockBytes);
        }
        // Top-level A64 decode: op0 = bits[28:25]; loads and stores are x1x0.
        if ((insn & 0x0A00_0000) != 0x0800_0000) {
            if ((insn & 0xFFF8_0000) == 0xD508_0000) {
                return CacheMaintenanceDecoder.decode(insn, zeroBlockBytes);
            }
            if (field(insn, 28, 25) == 0b0010) {
                return new Unsupported(insn, "SVE encoding space is not modelled");
            }
            return new NotMemoryAccess("not a load/store or cache maintenance instruction");
        }
        int group = field(insn, 29, 24);
        return switch (group) {
            case 0b001000 -> ExclusiveDecoder.decode(insn);
            case 0b001100, 0b001101 -> bit(insn, 31)
                    ? new Unsupported(insn, "unallocated load/store (op0=1x00, V=1)")
                    : SimdStructureDecoder.decode(insn);
            case 0b011000, 0b011100 -> SingleRegisterDecoder.literal(insn);
            case 0b011001 -> (!bit(insn, 21) && field(insn, 11, 10) == 0)
                    ? SingleRegisterDecoder.rcpcUnscaled(insn)
                    : new Unsupported(insn, "memory tagging or memory copy/set instruction is not modelled");
            case 0b101000, 0b101001, 0b101100, 0b101101 -> PairDecoder.decode(insn);
            case 0b111000, 0b111100 -> registerForms(insn);
            case 0b111001, 0b111101 -> SingleRegisterDecoder.unsignedOffset(insn);
            default -> new Unsupported(insn, "load/store group " + Integer.toBinaryString(group)
                    + " is unallocated or an unmodelled extension");
        };
    }

    /** bits[29:24] = 111x00: the imm9 forms, atomics, register offset and pointer-authenticated loads. */
    private static DecodeResult registerForms(int insn) {
        if (!bit(insn, 21)) {
            return SingleRegisterDecoder.immediate9(insn);
        }
        return switch (field(insn, 11, 10)) {
            case 0b00 -> AtomicDecoder.decode(insn);
            case 0b10 -> SingleRegisterDecoder.registerOffset(insn);
            default -> new Unsupported(insn, "LDRAA/LDRAB (pointer authentication) or unallocated");
        };
    }
}
