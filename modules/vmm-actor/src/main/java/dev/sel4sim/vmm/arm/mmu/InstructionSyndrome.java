package dev.sel4sim.vmm.arm.mmu;

import dev.sel4sim.vmm.arm.decode.AccessKind;
import dev.sel4sim.vmm.arm.decode.Addressing;
import dev.sel4sim.vmm.arm.decode.MemoryAccess;
import java.util.Optional;

/**
 * The ISV-valid part of a data abort syndrome, ISS[23:14]: defined only for a load or store of one
 * general-purpose register without writeback, excluding exclusives, atomics and pairs.
 *
 * @param accessSizeLog2 SAS: log2 of the access size in bytes
 * @param signExtend SSE
 * @param register SRT: the transfer register (31 = XZR/WZR)
 * @param sixtyFour SF: the register is X (64-bit), not W
 * @param acquireRelease AR
 */
public record InstructionSyndrome(int accessSizeLog2, boolean signExtend, int register, boolean sixtyFour,
                                  boolean acquireRelease) {

    /** The syndrome of a decoded access, or empty when the architecture gives that access no ISV. */
    public static Optional<InstructionSyndrome> of(MemoryAccess access) {
        boolean singleRegister = (access.kind() == AccessKind.LOAD || access.kind() == AccessKind.STORE)
                && !access.simd() && !access.pair() && !access.exclusive()
                && !(access.addressing() instanceof Addressing.PreIndex)
                && !(access.addressing() instanceof Addressing.PostIndex);
        if (!singleRegister) {
            return Optional.empty();
        }
        return Optional.of(new InstructionSyndrome(Integer.numberOfTrailingZeros(access.elementSize()),
                access.signExtend(), access.rt(), access.registerWidth() == 64,
                access.acquire() || access.release()));
    }

    /** ISS bits [24:14] with ISV set. */
    long issBits() {
        return 1L << 24
                | (long) accessSizeLog2 << 22
                | (signExtend ? 1L << 21 : 0)
                | (long) register << 16
                | (sixtyFour ? 1L << 15 : 0)
                | (acquireRelease ? 1L << 14 : 0);
    }
}
