package dev.sel4sim.vmm.arm.decode;

import static dev.sel4sim.vmm.arm.decode.Bits.bit;
import static dev.sel4sim.vmm.arm.decode.Bits.field;
import static dev.sel4sim.vmm.arm.decode.Bits.rn;
import static dev.sel4sim.vmm.arm.decode.Bits.rt;
import static dev.sel4sim.vmm.arm.decode.Bits.signed;

/** LDP/STP/LDPSW/LDNP/STNP, general and SIMD&amp;FP, in all index modes. */
final class PairDecoder {
    private PairDecoder() {}

    private static final int NO_ALLOCATE = 0;
    private static final int POST_INDEX = 1;
    private static final int OFFSET = 2;

    static DecodeResult decode(int insn) {
        int opc = field(insn, 31, 30);
        boolean v = bit(insn, 26);
        int index = field(insn, 24, 23);
        boolean load = bit(insn, 22);
        int bytes;
        int width;
        boolean signExtend = false;
        if (v) {
            if (opc == 3) {
                return new Unsupported(insn, "unallocated SIMD&FP pair (opc=11)");
            }
            bytes = 4 << opc;
            width = bytes * 8;
        } else {
            switch (opc) {
                case 0 -> { bytes = 4; width = 32; }
                case 2 -> { bytes = 8; width = 64; }
                case 1 -> {
                    if (index == NO_ALLOCATE) {
                        return new Unsupported(insn, "unallocated no-allocate pair (opc=01)");
                    }
                    if (!load) {
                        return new Unsupported(insn, "STGP (memory tagging) is not modelled");
                    }
                    bytes = 4;
                    width = 64;
                    signExtend = true;
                }
                default -> {
                    return new Unsupported(insn, "unallocated pair (opc=11)");
                }
            }
        }
        long offset = signed(field(insn, 21, 15), 7) * bytes;
        int base = rn(insn);
        Addressing address = switch (index) {
            case NO_ALLOCATE, OFFSET -> new Addressing.Offset(base, offset);
            case POST_INDEX -> new Addressing.PostIndex(base, offset);
            default -> new Addressing.PreIndex(base, offset);
        };
        String mnemonic = index == NO_ALLOCATE
                ? (load ? "LDNP" : "STNP")
                : (load ? (signExtend ? "LDPSW" : "LDP") : "STP");
        return new AccessBuilder(mnemonic, load ? AccessKind.LOAD : AccessKind.STORE)
                .simd(v).size(bytes).count(2).registers(2).width(width).signExtend(signExtend).pair(true)
                .address(address).rt(rt(insn)).rt2(field(insn, 14, 10)).build();
    }
}
