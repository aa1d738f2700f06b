package dev.sel4sim.vmm.arm.decode;

import static dev.sel4sim.vmm.arm.decode.Bits.bit;
import static dev.sel4sim.vmm.arm.decode.Bits.field;
import static dev.sel4sim.vmm.arm.decode.Bits.rn;
import static dev.sel4sim.vmm.arm.decode.Bits.rt;

/**
 * The group at bits[29:24] = 001000: load/store exclusive (register and pair), load-acquire/store-release
 * (LDAR, STLR, LDLAR, STLLR), compare-and-swap (CAS) and compare-and-swap pair (CASP).
 * Fields: size[31:30], o2[23], L[22], o1[21], Rs[20:16], o0[15], Rt2[14:10], Rn, Rt.
 */
final class ExclusiveDecoder {
    private ExclusiveDecoder() {}

    static DecodeResult decode(int insn) {
        int size = field(insn, 31, 30);
        boolean o2 = bit(insn, 23);
        boolean load = bit(insn, 22);
        boolean o1 = bit(insn, 21);
        boolean o0 = bit(insn, 15);
        int rs = field(insn, 20, 16);
        int rt2 = field(insn, 14, 10);
        int rt = rt(insn);
        Addressing address = new Addressing.Offset(rn(insn), 0);
        String suffix = Bits.sizeSuffix(size);
        int width = size == 3 ? 64 : 32;

        if (!o2 && !o1) {
            String mnemonic = load ? (o0 ? "LDAXR" : "LDXR") : (o0 ? "STLXR" : "STXR");
            return new AccessBuilder(mnemonic + suffix, load ? AccessKind.LOAD : AccessKind.STORE)
                    .size(1 << size).width(width).exclusive(true)
                    .acquire(load && o0).release(!load && o0)
                    .address(address).rt(rt).rs(load ? -1 : rs).build();
        }
        if (!o2) {
            boolean doubleword = bit(insn, 30);
            int bytes = doubleword ? 8 : 4;
            if (bit(insn, 31)) {
                String mnemonic = load ? (o0 ? "LDAXP" : "LDXP") : (o0 ? "STLXP" : "STXP");
                return new AccessBuilder(mnemonic, load ? AccessKind.LOAD : AccessKind.STORE)
                        .size(bytes).count(2).registers(2).width(bytes * 8).exclusive(true).pair(true)
                        .acquire(load && o0).release(!load && o0)
                        .address(address).rt(rt).rt2(rt2).rs(load ? -1 : rs).build();
            }
            if (rt2 != 31) {
                return new Unsupported(insn, "unallocated CASP (Rt2 field not 11111)");
            }
            if ((rs & 1) != 0 || (rt & 1) != 0) {
                return new Unsupported(insn, "CASP with an odd register is CONSTRAINED UNPREDICTABLE");
            }
            return new AccessBuilder("CASP" + (load ? "A" : "") + (o0 ? "L" : ""), AccessKind.ATOMIC)
                    .size(bytes).count(2).registers(2).width(bytes * 8).pair(true)
                    .acquire(load).release(o0).atomic(AtomicOp.CAS)
                    .address(address).rt(rt).rt2(rt + 1).rs(rs).build();
        }
        if (!o1) {
            String mnemonic = load ? (o0 ? "LDAR" : "LDLAR") : (o0 ? "STLR" : "STLLR");
            return new AccessBuilder(mnemonic + suffix, load ? AccessKind.LOAD : AccessKind.STORE)
                    .size(1 << size).width(width).acquire(load).release(!load)
                    .address(address).rt(rt).build();
        }
        if (rt2 != 31) {
            return new Unsupported(insn, "unallocated CAS (Rt2 field not 11111)");
        }
        return new AccessBuilder("CAS" + (load ? "A" : "") + (o0 ? "L" : "") + suffix, AccessKind.ATOMIC)
                .size(1 << size).width(width).acquire(load).release(o0).atomic(AtomicOp.CAS)
                .address(address).rt(rt).rs(rs).build();
    }
}
