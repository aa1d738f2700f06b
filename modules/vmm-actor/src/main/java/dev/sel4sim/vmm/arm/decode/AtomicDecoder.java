package dev.sel4sim.vmm.arm.decode;

import static dev.sel4sim.vmm.arm.decode.Bits.bit;
import static dev.sel4sim.vmm.arm.decode.Bits.field;
import static dev.sel4sim.vmm.arm.decode.Bits.rn;
import static dev.sel4sim.vmm.arm.decode.Bits.rt;

/**
 * Atomic memory operations (FEAT_LSE): LD&lt;op&gt; and SWP in every size and ordering, and LDAPR
 * (FEAT_LRCPC), which shares the encoding space. Fields: size[31:30], V[26], A[23], R[22], Rs[20:16],
 * o3[15], opc[14:12], Rn, Rt. With Rt = 31 the LD&lt;op&gt; forms are the ST&lt;op&gt; aliases; they
 * still read and write memory.
 */
final class AtomicDecoder {
    private AtomicDecoder() {}

    private static final AtomicOp[] OPERATIONS = {
        AtomicOp.ADD, AtomicOp.CLR, AtomicOp.EOR, AtomicOp.SET,
        AtomicOp.SMAX, AtomicOp.SMIN, AtomicOp.UMAX, AtomicOp.UMIN,
    };

    static DecodeResult decode(int insn) {
        if (bit(insn, 26)) {
            return new Unsupported(insn, "floating-point atomic (FEAT_LSFE) is not modelled");
        }
        int size = field(insn, 31, 30);
        boolean acquire = bit(insn, 23);
        boolean release = bit(insn, 22);
        int rs = field(insn, 20, 16);
        boolean o3 = bit(insn, 15);
        int opc = field(insn, 14, 12);
        Addressing address = new Addressing.Offset(rn(insn), 0);
        String suffix = Bits.sizeSuffix(size);
        String ordering = (acquire ? "A" : "") + (release ? "L" : "");
        int width = size == 3 ? 64 : 32;
        if (!o3) {
            AtomicOp op = OPERATIONS[opc];
            return new AccessBuilder("LD" + op.name() + ordering + suffix, AccessKind.ATOMIC)
                    .size(1 << size).width(width).acquire(acquire).release(release).atomic(op)
                    .address(address).rt(rt(insn)).rs(rs).build();
        }
        if (opc == 0) {
            return new AccessBuilder("SWP" + ordering + suffix, AccessKind.ATOMIC)
                    .size(1 << size).width(width).acquire(acquire).release(release).atomic(AtomicOp.SWP)
                    .address(address).rt(rt(insn)).rs(rs).build();
        }
        if (opc == 4 && acquire && !release && rs == 31) {
            return new AccessBuilder("LDAPR" + suffix, AccessKind.LOAD)
                    .size(1 << size).width(width).acquire(true)
                    .address(address).rt(rt(insn)).build();
        }
        return new Unsupported(insn, "atomic group o3=1 opc=" + opc + " (LD64B/ST64B or unallocated)");
    }
}
