package dev.sel4sim.vmm.x86.decode;

/**
 * Legacy and REX prefixes of one instruction.
 *
 * @param lock F0h seen
 * @param rep F3h or F2h, whichever came last
 * @param operandSizeOverride 66h seen
 * @param addressSizeOverride 67h seen
 * @param segment the last segment-override prefix, or null
 * @param rex the REX byte immediately before the opcode (64-bit mode only), or 0
 */
record Prefixes(boolean lock, Rep rep, boolean operandSizeOverride, boolean addressSizeOverride,
                Segment segment, int rex) {

    static Prefixes read(InstructionBytes in, CpuMode mode) {
        boolean lock = false;
        boolean opsize = false;
        boolean adsize = false;
        Rep rep = Rep.NONE;
        Segment segment = null;
        int rex = 0;
        while (true) {
            int b = in.peek();
            if (mode == CpuMode.BITS64 && (b & 0xf0) == 0x40) {
                rex = b;
                in.u8();
                continue;
            }
            switch (b) {
                case 0xf0 -> lock = true;
                case 0xf2 -> rep = Rep.REPNE;
                case 0xf3 -> rep = Rep.REP;
                case 0x66 -> opsize = true;
                case 0x67 -> adsize = true;
                case 0x26 -> segment = Segment.ES;
                case 0x2e -> segment = Segment.CS;
                case 0x36 -> segment = Segment.SS;
                case 0x3e -> segment = Segment.DS;
                case 0x64 -> segment = Segment.FS;
                case 0x65 -> segment = Segment.GS;
                default -> {
                    return new Prefixes(lock, rep, opsize, adsize, segment, rex);
                }
            }
            // A REX prefix counts only when the opcode follows it directly.
            rex = 0;
            in.u8();
        }
    }

    boolean rexW() {
        return (rex & 8) != 0;
    }

    /** REX.R as bit 3 of a register number. */
    int rexR() {
        return (rex & 4) << 1;
    }

    /** REX.X as bit 3 of a register number. */
    int rexX() {
        return (rex & 2) << 2;
    }

    /** REX.B as bit 3 of a register number. */
    int rexB() {
        return (rex & 1) << 3;
    }

    int operandSize(CpuMode mode) {
        if (rexW()) {
            return 8;
        }
        int size = mode.defaultOperandSize();
        if (operandSizeOverride) {
            return size == 2 ? 4 : 2;
        }
        return size;
    }

    int addressSize(CpuMode mode) {
        int size = mode.defaultAddressSize();
        if (!addressSizeOverride) {
            return size;
        }
        return switch (mode) {
            case BITS16 -> 4;
            case BITS32 -> 2;
            case BITS64 -> 4;
        };
    }
}
