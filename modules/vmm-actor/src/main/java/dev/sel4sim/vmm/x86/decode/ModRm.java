package dev.sel4sim.vmm.x86.decode;

/**
 * A decoded ModR/M byte with its SIB byte and displacement.
 *
 * @param mod bits 7:6; 3 means the r/m operand is a register, not memory
 * @param reg bits 5:3 extended by REX.R: a register number or an opcode extension (use {@link #opcodeExtension})
 * @param rm bits 2:0 extended by REX.B when {@code mod == 3}
 * @param address the memory operand, or null when {@code mod == 3}
 */
record ModRm(int mod, int reg, int rm, Address address) {
    private static final int[] BASE16 = {Gpr.RBX, Gpr.RBX, Gpr.RBP, Gpr.RBP, Gpr.RSI, Gpr.RDI, Gpr.RBP, Gpr.RBX};
    private static final int[] INDEX16 = {Gpr.RSI, Gpr.RDI, Gpr.RSI, Gpr.RDI, -1, -1, -1, -1};

    /** The 3-bit opcode extension of group instructions (ModRM.reg without REX.R). */
    int opcodeExtension() {
        return reg & 7;
    }

    boolean isMemory() {
        return mod != 3;
    }

    static ModRm read(InstructionBytes in, Prefixes p, CpuMode mode) {
        int b = in.u8();
        int mod = b >> 6;
        int reg = ((b >> 3) & 7) | p.rexR();
        int rm = b & 7;
        if (mod == 3) {
            return new ModRm(mod, reg, rm | p.rexB(), null);
        }
        int addressSize = p.addressSize(mode);
        Address address = addressSize == 2 ? address16(in, p, mod, rm) : address32(in, p, mode, mod, rm, addressSize);
        return new ModRm(mod, reg, rm, address);
    }

    private static Address address16(InstructionBytes in, Prefixes p, int mod, int rm) {
        if (mod == 0 && rm == 6) {
            return address(p, Segment.DS, Address.NONE, Address.NONE, 1, in.signed(2), 2);
        }
        long disp = switch (mod) {
            case 1 -> in.signed(1);
            case 2 -> in.signed(2);
            default -> 0;
        };
        int base = BASE16[rm];
        Segment defaultSegment = base == Gpr.RBP ? Segment.SS : Segment.DS;
        return address(p, defaultSegment, base, INDEX16[rm], 1, disp, 2);
    }

    private static Address address32(InstructionBytes in, Prefixes p, CpuMode mode, int mod, int rm, int size) {
        int base;
        int index = Address.NONE;
        int scale = 1;
        boolean stackBase;
        if (rm == 4) {
            int sib = in.u8();
            scale = 1 << (sib >> 6);
            int idx = ((sib >> 3) & 7) | p.rexX();
            index = idx == 4 ? Address.NONE : idx;
            int b = sib & 7;
            if (b == 5 && mod == 0) {
                base = Address.NONE;
            } else {
                base = b | p.rexB();
            }
            stackBase = base == Gpr.RSP || base == Gpr.RBP;
            if (b == 5 && mod == 0) {
                return address(p, Segment.DS, base, index, scale, in.signed(4), size);
            }
        } else if (rm == 5 && mod == 0) {
            base = mode == CpuMode.BITS64 ? Address.RIP : Address.NONE;
            return address(p, Segment.DS, base, Address.NONE, 1, in.signed(4), size);
        } else {
            base = rm | p.rexB();
            stackBase = base == Gpr.RBP;
        }
        long disp = switch (mod) {
            case 1 -> in.signed(1);
            case 2 -> in.signed(4);
            default -> 0;
        };
        return address(p, stackBase ? Segment.SS : Segment.DS, base, index, scale, disp, size);
    }

    private static Address address(Prefixes p, Segment defaultSegment, int base, int index, int scale,
                                   long disp, int size) {
        Segment segment = p.segment() != null ? p.segment() : defaultSegment;
        return new Address(segment, p.segment() != null, base, index, scale, disp, size);
    }
}
