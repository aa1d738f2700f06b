package dev.sel4sim.vmm.arm.decode;

import static dev.sel4sim.vmm.arm.decode.Bits.bit;
import static dev.sel4sim.vmm.arm.decode.Bits.field;
import static dev.sel4sim.vmm.arm.decode.Bits.rn;
import static dev.sel4sim.vmm.arm.decode.Bits.rt;
import static dev.sel4sim.vmm.arm.decode.Bits.signed;

/**
 * Single-register loads and stores: literal, unsigned offset, unscaled, pre/post-indexed, unprivileged,
 * register offset, and the RCpc unscaled forms (LDAPUR/STLUR).
 */
final class SingleRegisterDecoder {
    private SingleRegisterDecoder() {}

    /** Which instruction form, for mnemonics and the forms in which PRFM exists. */
    private enum Form { REGISTER, UNSCALED, INDEXED, UNPRIVILEGED }

    /** The transfer described by size:opc (and V), or null when that combination is unallocated. */
    private record Shape(AccessKind kind, int bytes, int width, boolean signed, boolean simd,
                         boolean prefetch) {}

    private static Shape shape(int size, int opc, boolean v) {
        if (v) {
            boolean q = (opc & 2) != 0;
            if (q && size != 0) {
                return null;
            }
            int bytes = q ? 16 : 1 << size;
            AccessKind kind = (opc & 1) != 0 ? AccessKind.LOAD : AccessKind.STORE;
            return new Shape(kind, bytes, bytes * 8, false, true, false);
        }
        int bytes = 1 << size;
        return switch (opc) {
            case 0 -> new Shape(AccessKind.STORE, bytes, size == 3 ? 64 : 32, false, false, false);
            case 1 -> new Shape(AccessKind.LOAD, bytes, size == 3 ? 64 : 32, false, false, false);
            case 2 -> size == 3
                    ? new Shape(AccessKind.LOAD, 8, 64, false, false, true)
                    : new Shape(AccessKind.LOAD, bytes, 64, true, false, false);
            default -> size <= 1 ? new Shape(AccessKind.LOAD, bytes, 32, true, false, false) : null;
        };
    }

    private static String mnemonic(Shape s, Form form, int size) {
        String stem = switch (form) {
            case UNSCALED -> s.kind() == AccessKind.LOAD ? "LDUR" : "STUR";
            case UNPRIVILEGED -> s.kind() == AccessKind.LOAD ? "LDTR" : "STTR";
            default -> s.kind() == AccessKind.LOAD ? "LDR" : "STR";
        };
        if (s.simd()) {
            return stem;
        }
        if (s.signed()) {
            return stem + "S" + (size == 2 ? "W" : Bits.sizeSuffix(size));
        }
        return stem + Bits.sizeSuffix(size);
    }

    private static DecodeResult build(int insn, Shape s, String mnemonic, Addressing addressing,
                                      boolean unprivileged) {
        return new AccessBuilder(mnemonic, s.kind())
                .simd(s.simd()).size(s.bytes()).width(s.width()).signExtend(s.signed())
                .unprivileged(unprivileged).address(addressing).rt(rt(insn)).build();
    }

    /** LDR/LDRSW/PRFM (literal), SIMD&amp;FP LDR (literal). */
    static DecodeResult literal(int insn) {
        int opc = field(insn, 31, 30);
        boolean v = bit(insn, 26);
        long offset = signed(field(insn, 23, 5), 19) << 2;
        Addressing address = new Addressing.Literal(offset);
        if (v) {
            if (opc == 3) {
                return new Unsupported(insn, "unallocated SIMD&FP literal load (opc=11)");
            }
            int bytes = 4 << opc;
            return new AccessBuilder("LDR", AccessKind.LOAD).simd(true).size(bytes).width(bytes * 8)
                    .address(address).rt(rt(insn)).build();
        }
        return switch (opc) {
            case 0 -> new AccessBuilder("LDR", AccessKind.LOAD).size(4).width(32)
                    .address(address).rt(rt(insn)).build();
            case 1 -> new AccessBuilder("LDR", AccessKind.LOAD).size(8).width(64)
                    .address(address).rt(rt(insn)).build();
            case 2 -> new AccessBuilder("LDRSW", AccessKind.LOAD).size(4).width(64).signExtend(true)
                    .address(address).rt(rt(insn)).build();
            default -> new NotMemoryAccess("PRFM (literal) prefetch hint");
        };
    }

    /** Load/store register (unsigned immediate): imm12 scaled by the access size. */
    static DecodeResult unsignedOffset(int insn) {
        int size = field(insn, 31, 30);
        Shape s = shape(size, field(insn, 23, 22), bit(insn, 26));
        if (s == null) {
            return new Unsupported(insn, "unallocated load/store (unsigned immediate) size/opc");
        }
        if (s.prefetch()) {
            return new NotMemoryAccess("PRFM (immediate) prefetch hint");
        }
        long offset = (long) field(insn, 21, 10) * s.bytes();
        return build(insn, s, mnemonic(s, Form.INDEXED, size), new Addressing.Offset(rn(insn), offset), false);
    }

    /** The imm9 forms selected by bits 11:10: unscaled, post-indexed, unprivileged, pre-indexed. */
    static DecodeResult immediate9(int insn) {
        int size = field(insn, 31, 30);
        boolean v = bit(insn, 26);
        Shape s = shape(size, field(insn, 23, 22), v);
        int mode = field(insn, 11, 10);
        if (s == null) {
            return new Unsupported(insn, "unallocated load/store (imm9) size/opc");
        }
        long offset = signed(field(insn, 20, 12), 9);
        int base = rn(insn);
        return switch (mode) {
            case 0 -> s.prefetch()
                    ? new NotMemoryAccess("PRFUM prefetch hint")
                    : build(insn, s, mnemonic(s, Form.UNSCALED, size), new Addressing.Offset(base, offset), false);
            case 1 -> s.prefetch()
                    ? new Unsupported(insn, "unallocated post-indexed size=11 opc=10")
                    : build(insn, s, mnemonic(s, Form.INDEXED, size), new Addressing.PostIndex(base, offset), false);
            case 2 -> (s.prefetch() || v)
                    ? new Unsupported(insn, "unallocated unprivileged load/store (prefetch or SIMD)")
                    : build(insn, s, mnemonic(s, Form.UNPRIVILEGED, size), new Addressing.Offset(base, offset), true);
            default -> s.prefetch()
                    ? new Unsupported(insn, "unallocated pre-indexed size=11 opc=10")
                    : build(insn, s, mnemonic(s, Form.INDEXED, size), new Addressing.PreIndex(base, offset), false);
        };
    }

    /** Load/store register (register offset): [Xn|SP, Rm{, extend {#amount}}]. */
    static DecodeResult registerOffset(int insn) {
        int size = field(insn, 31, 30);
        boolean v = bit(insn, 26);
        Shape s = shape(size, field(insn, 23, 22), v);
        if (s == null) {
            return new Unsupported(insn, "unallocated load/store (register offset) size/opc");
        }
        int option = field(insn, 15, 13);
        if ((option & 2) == 0) {
            return new Unsupported(insn, "unallocated register-offset extend option " + option);
        }
        if (s.prefetch()) {
            return new NotMemoryAccess("PRFM (register) prefetch hint");
        }
        Extend extend = switch (option) {
            case 2 -> Extend.UXTW;
            case 3 -> Extend.UXTX;
            case 6 -> Extend.SXTW;
            default -> Extend.SXTX;
        };
        int shift = bit(insn, 12) ? Integer.numberOfTrailingZeros(s.bytes()) : 0;
        Addressing address = new Addressing.RegisterOffset(rn(insn), field(insn, 20, 16), extend, shift);
        return build(insn, s, mnemonic(s, Form.REGISTER, size), address, false);
    }

    /** LDAPUR/STLUR family (FEAT_LRCPC2): acquire/release with an unscaled signed offset. */
    static DecodeResult rcpcUnscaled(int insn) {
        int size = field(insn, 31, 30);
        int opc = field(insn, 23, 22);
        long offset = signed(field(insn, 20, 12), 9);
        Addressing address = new Addressing.Offset(rn(insn), offset);
        int bytes = 1 << size;
        String suffix = Bits.sizeSuffix(size);
        AccessBuilder b = switch (opc) {
            case 0 -> new AccessBuilder("STLUR" + suffix, AccessKind.STORE).release(true)
                    .width(size == 3 ? 64 : 32);
            case 1 -> new AccessBuilder("LDAPUR" + suffix, AccessKind.LOAD).acquire(true)
                    .width(size == 3 ? 64 : 32);
            case 2 -> size == 3 ? null
                    : new AccessBuilder("LDAPURS" + (size == 2 ? "W" : suffix), AccessKind.LOAD)
                            .acquire(true).signExtend(true).width(64);
            default -> size >= 2 ? null
                    : new AccessBuilder("LDAPURS" + suffix, AccessKind.LOAD)
                            .acquire(true).signExtend(true).width(32);
        };
        if (b == null) {
            return new Unsupported(insn, "unallocated LDAPUR/STLUR size/opc");
        }
        return b.size(bytes).address(address).rt(rt(insn)).build();
    }
}
