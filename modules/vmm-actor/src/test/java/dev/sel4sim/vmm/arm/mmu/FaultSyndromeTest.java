package dev.sel4sim.vmm.arm.mmu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sel4sim.vmm.arm.decode.MemoryAccess;
import dev.sel4sim.vmm.arm.decode.MemoryAccessDecoder;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Fault status codes, ISV syndromes and alignment faults, against bit layouts worked out by hand. */
class FaultSyndromeTest {

    private static MemoryAccess decode(int insn) {
        return assertInstanceOf(MemoryAccess.class, MemoryAccessDecoder.decode(insn));
    }

    @Test
    void statusCodesForEveryKindAndLevel() {
        int[] addressSize = {0b000000, 0b000001, 0b000010, 0b000011};
        int[] translation = {0b000100, 0b000101, 0b000110, 0b000111};
        int[] accessFlag = {0b001000, 0b001001, 0b001010, 0b001011};
        int[] permission = {0b001100, 0b001101, 0b001110, 0b001111};
        int[] externalOnWalk = {0b010100, 0b010101, 0b010110, 0b010111};
        for (int level = 0; level < 4; level++) {
            assertEquals(addressSize[level], new Fault(FaultKind.ADDRESS_SIZE, level, false, AccessType.READ, false).statusCode());
            assertEquals(translation[level], new Fault(FaultKind.TRANSLATION, level, false, AccessType.READ, false).statusCode());
            assertEquals(accessFlag[level], new Fault(FaultKind.ACCESS_FLAG, level, false, AccessType.READ, false).statusCode());
            assertEquals(permission[level], new Fault(FaultKind.PERMISSION, level, false, AccessType.READ, false).statusCode());
            assertEquals(externalOnWalk[level], new Fault(FaultKind.SYNC_EXTERNAL_ABORT, level, true, AccessType.READ, false).statusCode());
        }
        assertEquals(0b010000, new Fault(FaultKind.SYNC_EXTERNAL_ABORT, 0, false, AccessType.READ, false).statusCode());
        assertEquals(0b100001, new Fault(FaultKind.ALIGNMENT, 0, false, AccessType.READ, false).statusCode());
    }

    @Test
    void instructionSyndromeOfASignExtendingLoad() {
        // ldrsw x3, [x4, #8]: SAS = 2 (word), SSE = 1, SRT = 3, SF = 1, AR = 0
        Optional<InstructionSyndrome> isv = InstructionSyndrome.of(decode(0xb9800883));
        assertEquals(Optional.of(new InstructionSyndrome(2, true, 3, true, false)), isv);
        Fault fault = Fault.of(FaultKind.TRANSLATION, 3, false, AccessType.READ, false);
        // EC 0x25<<26 = 0x9400_0000 | IL 0x0200_0000 | ISV 0x0100_0000 | SAS 2<<22 = 0x0080_0000
        // | SSE 0x0020_0000 | SRT 3<<16 = 0x0003_0000 | SF 0x8000 | DFSC 0b000111
        assertEquals(0x97A3_8007L, FaultSyndrome.dataAbort(fault, false, isv));
    }

    @Test
    void instructionSyndromeOfAStoreRelease() {
        // stlr w2, [x3] from EL0 hitting a permission fault at level 3
        Optional<InstructionSyndrome> isv = InstructionSyndrome.of(decode(0x889ffc62));
        assertEquals(Optional.of(new InstructionSyndrome(2, false, 2, false, true)), isv);
        Fault fault = Fault.of(FaultKind.PERMISSION, 3, false, AccessType.WRITE, false);
        // EC 0x24<<26 = 0x9000_0000 | IL 0x0200_0000 | ISV 0x0100_0000 | SAS 0x0080_0000
        // | SRT 2<<16 = 0x0002_0000 | AR 0x4000 | WnR 0x40 | DFSC 0b001111
        assertEquals(0x9382_404FL, FaultSyndrome.dataAbort(fault, true, isv));
    }

    @Test
    void noInstructionSyndromeForWritebackPairsExclusivesAtomicsAndSimd() {
        assertEquals(Optional.empty(), InstructionSyndrome.of(decode(0x38dffcc5))); // ldrsb w5, [x6, #-1]!
        assertEquals(Optional.empty(), InstructionSyndrome.of(decode(0xa8c17bfd))); // ldp x29, x30, [sp], #16
        assertEquals(Optional.empty(), InstructionSyndrome.of(decode(0x885ffc20))); // ldaxr w0, [x1]
        assertEquals(Optional.empty(), InstructionSyndrome.of(decode(0xb8200041))); // ldadd w0, w1, [x2]
        assertEquals(Optional.empty(), InstructionSyndrome.of(decode(0x3dc00020))); // ldr q0, [x1]
        assertEquals(Optional.empty(), InstructionSyndrome.of(decode(0xd50b7420))); // dc zva, x0
        // register offset and unprivileged forms do have one
        assertTrue(InstructionSyndrome.of(decode(0x38626820)).isPresent()); // ldrb w0, [x1, x2]
        assertTrue(InstructionSyndrome.of(decode(0xf8408841)).isPresent()); // ldtr x1, [x2, #8]
    }

    @Test
    void exclusivesNeedNaturalAlignment() {
        MemoryAccess ldaxr = decode(0x885ffc20); // ldaxr w0, [x1]
        Fault fault = AlignmentCheck.check(ldaxr, 0x1002, 0, false).orElseThrow();
        // EC 0x25, IL, WnR 0, DFSC 0b100001
        assertEquals(0x9600_0021L, FaultSyndrome.dataAbort(fault, false));
        assertEquals(Optional.empty(), AlignmentCheck.check(ldaxr, 0x1004, 0, false));
        // ldaxp x0, x1: the 16-byte pair must be 16-aligned
        assertTrue(AlignmentCheck.check(decode(0xc87f8440), 0x1008, 0, false).isPresent());
    }

    @Test
    void atomicAlignmentFaultsReportARead() {
        Fault fault = AlignmentCheck.check(decode(0xb8200041), 0x1001, 0, false).orElseThrow(); // ldadd
        assertEquals(0x9600_0021L, FaultSyndrome.dataAbort(fault, false));
    }

    @Test
    void ordinaryAccessesNeedAlignmentOnlyWithSctlrAOrDeviceMemory() {
        MemoryAccess ldr = decode(0xf9400020); // ldr x0, [x1]
        assertEquals(Optional.empty(), AlignmentCheck.check(ldr, 0x1004, 0, false));
        assertTrue(AlignmentCheck.check(ldr, 0x1004, 1L << 1, false).isPresent());
        assertTrue(AlignmentCheck.check(ldr, 0x1004, 0, true).isPresent());
        assertEquals(Optional.empty(), AlignmentCheck.check(ldr, 0x1008, 0, true));
        // a store is reported as a write: EC 0x25, IL, WnR, DFSC 0b100001
        Fault store = AlignmentCheck.check(decode(0xb9000462), 0x2, 0, true).orElseThrow(); // str w2, [x3, #4]
        assertEquals(0x9600_0061L, FaultSyndrome.dataAbort(store, false));
    }

    @Test
    void zeroBlockFaultsOnDeviceMemoryAndCacheMaintenanceNever() {
        assertTrue(AlignmentCheck.check(decode(0xd50b7420), 0x1000, 0, true).isPresent()); // dc zva
        assertEquals(Optional.empty(), AlignmentCheck.check(decode(0xd50b7420), 0x1000, 0, false));
        assertEquals(Optional.empty(), AlignmentCheck.check(decode(0xd50b7e21), 0x1001, 1L << 1, true)); // dc civac
    }

    @Test
    void decodedAccessesMapToAccessTypes() {
        assertEquals(AccessType.READ, AccessType.of(decode(0xf9400020)));
        assertEquals(AccessType.WRITE, AccessType.of(decode(0xb9000462)));
        assertEquals(AccessType.READ_WRITE, AccessType.of(decode(0xb8200041)));
        assertEquals(AccessType.READ_WRITE, AccessType.of(decode(0x88a07c41))); // cas
        assertEquals(AccessType.WRITE, AccessType.of(decode(0xd50b7420))); // dc zva
        assertEquals(AccessType.CACHE_MAINTENANCE, AccessType.of(decode(0xd50b7e21))); // dc civac
        assertEquals(AccessType.CACHE_INVALIDATE, AccessType.of(decode(0xd5087624))); // dc ivac
        assertEquals(AccessType.CACHE_MAINTENANCE, AccessType.of(decode(0xd50b7525))); // ic ivau
    }
}
