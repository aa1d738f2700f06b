package dev.sel4sim.vmm.arm.decode;

import static dev.sel4sim.vmm.arm.decode.Bits.bit;
import static dev.sel4sim.vmm.arm.decode.Bits.field;
import static dev.sel4sim.vmm.arm.decode.Bits.rn;
import static dev.sel4sim.vmm.arm.decode.Bits.rt;

/**
 * Advanced SIMD LD1-LD4/ST1-ST4, multiple structures and single structure (including LD1R-LD4R), with
 * no offset, immediate post-index (by the bytes transferred) or register post-index.
 * Fields: Q[30], bit 24 single, post[23], L[22], R/Rm in [21:16], opcode, S[12], size[11:10], Rn, Rt.
 */
final class SimdStructureDecoder {
    private SimdStructureDecoder() {}

    static DecodeResult decode(int insn) {
        return bit(insn, 24) ? single(insn) : multiple(insn);
    }

    private static DecodeResult multiple(int insn) {
        boolean q = bit(insn, 30);
        boolean post = bit(insn, 23);
        boolean load = bit(insn, 22);
        if (post ? bit(insn, 21) : field(insn, 21, 16) != 0) {
            return new Unsupported(insn, "unallocated SIMD multiple-structure encoding");
        }
        int opcode = field(insn, 15, 12);
        int size = field(insn, 11, 10);
        int repeat;
        int structure;
        switch (opcode) {
            case 0b0000 -> { repeat = 1; structure = 4; }
            case 0b0010 -> { repeat = 4; structure = 1; }
            case 0b0100 -> { repeat = 1; structure = 3; }
            case 0b0110 -> { repeat = 3; structure = 1; }
            case 0b0111 -> { repeat = 1; structure = 1; }
            case 0b1000 -> { repeat = 1; structure = 2; }
            case 0b1010 -> { repeat = 2; structure = 1; }
            default -> {
                return new Unsupported(insn, "unallocated SIMD multiple-structure opcode " + opcode);
            }
        }
        if (size == 3 && !q && structure > 1) {
            return new Unsupported(insn, "reserved .1D arrangement for LD2-LD4/ST2-ST4");
        }
        int registers = repeat * structure;
        int elementSize = 1 << size;
        int total = registers * (q ? 16 : 8);
        return new AccessBuilder((load ? "LD" : "ST") + structure, load ? AccessKind.LOAD : AccessKind.STORE)
                .simd(true).size(elementSize).count(total / elementSize).registers(registers)
                .width(q ? 128 : 64)
                .address(address(insn, post, total)).rt(rt(insn)).build();
    }

    private static DecodeResult single(int insn) {
        boolean q = bit(insn, 30);
        boolean post = bit(insn, 23);
        boolean load = bit(insn, 22);
        boolean r = bit(insn, 21);
        if (!post && field(insn, 20, 16) != 0) {
            return new Unsupported(insn, "unallocated SIMD single-structure encoding");
        }
        int opcode = field(insn, 15, 13);
        boolean s = bit(insn, 12);
        int size = field(insn, 11, 10);
        int structure = ((opcode & 1) << 1 | (r ? 1 : 0)) + 1;
        int scale = opcode >> 1;
        int lane;
        boolean replicate = false;
        int qi = q ? 1 : 0;
        int si = s ? 1 : 0;
        switch (scale) {
            case 0 -> lane = qi << 3 | si << 2 | size;
            case 1 -> {
                if ((size & 1) != 0) {
                    return new Unsupported(insn, "unallocated halfword lane encoding");
                }
                lane = qi << 2 | si << 1 | size >> 1;
            }
            case 2 -> {
                if ((size & 2) != 0) {
                    return new Unsupported(insn, "unallocated word lane encoding");
                }
                if ((size & 1) == 0) {
                    lane = qi << 1 | si;
                } else {
                    if (s) {
                        return new Unsupported(insn, "unallocated doubleword lane encoding");
                    }
                    scale = 3;
                    lane = qi;
                }
            }
            default -> {
                if (!load || s) {
                    return new Unsupported(insn, "unallocated replicate (store or S=1)");
                }
                scale = size;
                lane = -1;
                replicate = true;
            }
        }
        int elementSize = 1 << scale;
        int total = structure * elementSize;
        String mnemonic = (load ? "LD" : "ST") + structure + (replicate ? "R" : "");
        return new AccessBuilder(mnemonic, load ? AccessKind.LOAD : AccessKind.STORE)
                .simd(true).size(elementSize).count(structure).registers(structure)
                .width(replicate && !q ? 64 : 128).lane(lane).replicate(replicate)
                .address(address(insn, post, total)).rt(rt(insn)).build();
    }

    private static Addressing address(int insn, boolean post, int total) {
        int base = rn(insn);
        if (!post) {
            return new Addressing.Offset(base, 0);
        }
        int rm = field(insn, 20, 16);
        return rm == 31 ? new Addressing.PostIndex(base, total) : new Addressing.PostIndexRegister(base, rm);
    }
}
