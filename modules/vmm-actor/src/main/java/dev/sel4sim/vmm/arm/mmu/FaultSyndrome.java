package dev.sel4sim.vmm.arm.mmu;

import java.util.Optional;

/**
 * ESR_EL1 values for the aborts the VMM injects. Layout: EC[31:26], IL[25], ISS[24:0]; data abort ISS:
 * ISV[24] SAS[23:22] SSE[21] SRT[20:16] SF[15] AR[14] FnV[10] EA[9] CM[8] S1PTW[7] WnR[6] DFSC[5:0];
 * instruction abort ISS: IFSC[5:0]. FAR_EL1 is always valid here (FnV = 0), and EA and S1PTW are 0
 * (no stage 2 in the guest's own regime).
 *
 * <p>FAR_EL1 rule: the faulting virtual address as the instruction formed it, tag byte included; for
 * DC ZVA and the other DC/IC instructions the value of their register operand (see
 * {@code AccessAddress.faultAddress}); for an instruction abort the address of the instruction.
 */
public final class FaultSyndrome {
    /** Data abort from a lower exception level (EL0). */
    public static final int EC_DATA_ABORT_LOWER = 0x24;
    /** Data abort without a change of exception level. */
    public static final int EC_DATA_ABORT_SAME = 0x25;
    /** Instruction abort from a lower exception level (EL0). */
    public static final int EC_INSTRUCTION_ABORT_LOWER = 0x20;
    /** Instruction abort without a change of exception level. */
    public static final int EC_INSTRUCTION_ABORT_SAME = 0x21;

    private static final long IL = 1L << 25;

    private FaultSyndrome() {}

    /**
     * ESR_EL1 for a data abort without instruction syndrome (ISV = 0), as QEMU-derived CPUs report
     * stage-1 aborts taken to EL1.
     *
     * @param fromEl0 the aborting instruction ran at EL0 (LDTR/STTR at EL1 is still "same level")
     */
    public static long dataAbort(Fault fault, boolean fromEl0) {
        return dataAbort(fault, fromEl0, Optional.empty());
    }

    /** ESR_EL1 for a data abort, with the ISV fields when a syndrome is given. */
    public static long dataAbort(Fault fault, boolean fromEl0, Optional<InstructionSyndrome> syndrome) {
        long ec = fromEl0 ? EC_DATA_ABORT_LOWER : EC_DATA_ABORT_SAME;
        long iss = fault.statusCode()
                | (fault.writeNotRead() ? 1L << 6 : 0)
                | (fault.access().isCacheMaintenance() ? 1L << 8 : 0)
                | syndrome.map(InstructionSyndrome::issBits).orElse(0L);
        return ec << 26 | IL | iss;
    }

    /** ESR_EL1 for an instruction abort (a fault on an instruction fetch). */
    public static long instructionAbort(Fault fault, boolean fromEl0) {
        long ec = fromEl0 ? EC_INSTRUCTION_ABORT_LOWER : EC_INSTRUCTION_ABORT_SAME;
        return ec << 26 | IL | fault.statusCode();
    }
}
