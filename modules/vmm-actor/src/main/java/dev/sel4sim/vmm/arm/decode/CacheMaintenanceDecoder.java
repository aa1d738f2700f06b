package dev.sel4sim.vmm.arm.decode;

import static dev.sel4sim.vmm.arm.decode.Bits.field;
import static dev.sel4sim.vmm.arm.decode.Bits.rt;

/**
 * SYS instructions (bits[31:19] = 1101010100001) that operate on a virtual address: DC ZVA, the DC
 * clean/invalidate-by-VA family and IC IVAU. Fields: op1[18:16], CRn[15:12], CRm[11:8], op2[7:5], Rt.
 * Set/way operations, AT and TLBI take no data abort for their operand and are not accesses.
 */
final class CacheMaintenanceDecoder {
    private CacheMaintenanceDecoder() {}

    static DecodeResult decode(int insn, int zeroBlockBytes) {
        int op1 = field(insn, 18, 16);
        int crn = field(insn, 15, 12);
        int crm = field(insn, 11, 8);
        int op2 = field(insn, 7, 5);
        if (crn != 7) {
            return new NotMemoryAccess("SYS instruction (CRn=" + crn + ")");
        }
        int key = op1 << 8 | crm << 4 | op2;
        Addressing address = new Addressing.SystemOperand(rt(insn));
        CacheOp op = switch (key) {
            case 0x341 -> CacheOp.DC_ZVA;
            case 0x061 -> CacheOp.DC_IVAC;
            case 0x3A1 -> CacheOp.DC_CVAC;
            case 0x3B1 -> CacheOp.DC_CVAU;
            case 0x3C1 -> CacheOp.DC_CVAP;
            case 0x3D1 -> CacheOp.DC_CVADP;
            case 0x3E1 -> CacheOp.DC_CIVAC;
            case 0x351 -> CacheOp.IC_IVAU;
            default -> CacheOp.NONE;
        };
        if (op == CacheOp.DC_ZVA) {
            return new AccessBuilder("DC ZVA", AccessKind.ZERO_BLOCK).size(zeroBlockBytes)
                    .cache(op).address(address).rt(rt(insn)).build();
        }
        if (op != CacheOp.NONE) {
            String mnemonic = op.name().replace('_', ' ');
            return new AccessBuilder(mnemonic, AccessKind.CACHE_MAINTENANCE).size(1)
                    .cache(op).address(address).rt(rt(insn)).build();
        }
        boolean tagged = op1 == 3
                ? (op2 == 3 || op2 == 4 || op2 == 5) && (crm == 4 || crm >= 10 && crm != 11)
                : op1 == 0 && crm == 6 && (op2 == 3 || op2 == 5);
        if (tagged) {
            return new Unsupported(insn, "memory-tagging DC operation is not modelled");
        }
        return new NotMemoryAccess("cache/AT operation without a VA data access (op1=" + op1
                + " CRm=" + crm + " op2=" + op2 + ")");
    }
}
