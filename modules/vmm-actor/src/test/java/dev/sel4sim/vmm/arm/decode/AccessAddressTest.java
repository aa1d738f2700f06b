package dev.sel4sim.vmm.arm.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Effective address, FAR value and writeback for each addressing mode. */
class AccessAddressTest {

    /** Registers X0..X30 and SP; reading "X31" is a decoder bug (31 is SP or XZR by context). */
    private static final class Regs implements RegisterFile {
        final long[] x = new long[31];
        long sp;

        Regs set(int n, long value) {
            x[n] = value;
            return this;
        }

        Regs sp(long value) {
            sp = value;
            return this;
        }

        @Override
        public long x(int n) {
            if (n < 0 || n > 30) {
                throw new AssertionError("x(" + n + ") read");
            }
            return x[n];
        }

        @Override
        public long sp() {
            return sp;
        }
    }

    private static MemoryAccess decode(int insn) {
        return assertInstanceOf(MemoryAccess.class, MemoryAccessDecoder.decode(insn));
    }

    private static MemoryAccess decode(int insn, int zeroBlock) {
        return assertInstanceOf(MemoryAccess.class, MemoryAccessDecoder.decode(insn, zeroBlock));
    }

    @Test
    void baseOnly() {
        MemoryAccess a = decode(0xf9400020); // ldr x0, [x1]
        Regs r = new Regs().set(1, 0x1000);
        assertEquals(0x1000L, AccessAddress.effective(a, r, 0));
        assertEquals(Optional.empty(), AccessAddress.writeback(a, r));
    }

    @Test
    void scaledUnsignedOffset() {
        MemoryAccess a = decode(0xb9000462); // str w2, [x3, #4]
        assertEquals(0x2004L, AccessAddress.effective(a, new Regs().set(3, 0x2000), 0));
        MemoryAccess max = decode(0xf97ffc41); // ldr x1, [x2, #32760]
        assertEquals(0x10000L + 32760, AccessAddress.effective(max, new Regs().set(2, 0x10000), 0));
    }

    @Test
    void unscaledNegativeOffsetWrapsAt64Bits() {
        MemoryAccess a = decode(0xf85001ac); // ldur x12, [x13, #-256]
        assertEquals(0xFFFF_FFFF_FFFF_FF10L, AccessAddress.effective(a, new Regs().set(13, 0x10), 0));
    }

    @Test
    void postIndexWithSpBase() {
        MemoryAccess a = decode(0xa8c17bfd); // ldp x29, x30, [sp], #16
        Regs r = new Regs().sp(0x8000);
        assertEquals(0x8000L, AccessAddress.effective(a, r, 0));
        assertEquals(Optional.of(new Writeback(31, 0x8010)), AccessAddress.writeback(a, r));
    }

    @Test
    void preIndexWithSpBase() {
        MemoryAccess a = decode(0xa9be7bfd); // stp x29, x30, [sp, #-32]!
        Regs r = new Regs().sp(0x8000);
        assertEquals(0x7FE0L, AccessAddress.effective(a, r, 0));
        assertEquals(Optional.of(new Writeback(31, 0x7FE0)), AccessAddress.writeback(a, r));
    }

    @Test
    void preIndexNegativeByte() {
        MemoryAccess a = decode(0x38dffcc5); // ldrsb w5, [x6, #-1]!
        Regs r = new Regs().set(6, 0x100);
        assertEquals(0xFFL, AccessAddress.effective(a, r, 0));
        assertEquals(Optional.of(new Writeback(6, 0xFF)), AccessAddress.writeback(a, r));
    }

    @Test
    void unprivilegedWithSpBase() {
        MemoryAccess a = decode(0xf81f8be9); // sttr x9, [sp, #-8]
        assertEquals(0xFF8L, AccessAddress.effective(a, new Regs().sp(0x1000), 0));
    }

    @Test
    void registerOffsetExtendsAndShifts() {
        // ldrb w0, [x1, x2]: a 64-bit index wraps the sum
        assertEquals(0xFFFL, AccessAddress.effective(decode(0x38626820),
                new Regs().set(1, 0x1000).set(2, -1L), 0));
        // ldr x0, [x1, x2, lsl #3]
        assertEquals(0x1018L, AccessAddress.effective(decode(0xf8627820),
                new Regs().set(1, 0x1000).set(2, 3), 0));
        // ldr w0, [x1, w2, sxtw #2]: only W2 counts, sign-extended: -2 * 4
        assertEquals(0xFFF8L, AccessAddress.effective(decode(0xb862d820),
                new Regs().set(1, 0x10000).set(2, 0xDEAD_0000_FFFF_FFFEL), 0));
        // str x0, [sp, w3, uxtw]: SP base, W3 zero-extended
        assertEquals(0x4010L, AccessAddress.effective(decode(0xf8234be0),
                new Regs().sp(0x4000).set(3, 0xFFFF_FFFF_0000_0010L), 0));
        // ldr x0, [x1, xzr]: index 31 is the zero register
        assertEquals(0x5000L, AccessAddress.effective(decode(0xf87f6820), new Regs().set(1, 0x5000), 0));
        assertEquals(Optional.empty(), AccessAddress.writeback(decode(0xf8627820), new Regs()));
    }

    @Test
    void literalIsRelativeToTheInstruction() {
        assertEquals(0xFFFF_0000_0000_1100L,
                AccessAddress.effective(decode(0x58000805), new Regs(), 0xFFFF_0000_0000_1000L)); // ldr x5, #256
        assertEquals(0xFF8L, AccessAddress.effective(decode(0x18ffffc6), new Regs(), 0x1000)); // ldr w6, #-8
    }

    @Test
    void simdStructurePostIndex() {
        // ld1 {v0.16b, v1.16b}, [x0], #32
        MemoryAccess imm = decode(0x4cdfa000);
        Regs r = new Regs().set(0, 0x3000);
        assertEquals(0x3000L, AccessAddress.effective(imm, r, 0));
        assertEquals(Optional.of(new Writeback(0, 0x3020)), AccessAddress.writeback(imm, r));
        // st1 {v0.2d-v3.2d}, [x1], x2
        MemoryAccess reg = decode(0x4c822c20);
        Regs r2 = new Regs().set(1, 0x1000).set(2, 0x40);
        assertEquals(0x1000L, AccessAddress.effective(reg, r2, 0));
        assertEquals(Optional.of(new Writeback(1, 0x1040)), AccessAddress.writeback(reg, r2));
    }

    @Test
    void zeroBlockIsAlignedButFaultAddressIsTheOperand() {
        MemoryAccess zva = decode(0xd50b7420); // dc zva, x0
        Regs r = new Regs().set(0, 0x12345);
        assertEquals(0x12340L, AccessAddress.effective(zva, r, 0));
        assertEquals(0x12345L, AccessAddress.faultAddress(zva, r, 0));
        assertEquals(0x12300L, AccessAddress.effective(decode(0xd50b7420, 256), r, 0));
        assertEquals(0L, AccessAddress.effective(decode(0xd50b743f), new Regs(), 0)); // dc zva, xzr
    }

    @Test
    void cacheMaintenanceUsesTheOperandAsIs() {
        MemoryAccess civac = decode(0xd50b7e21); // dc civac, x1
        Regs r = new Regs().set(1, 0x1234);
        assertEquals(0x1234L, AccessAddress.effective(civac, r, 0));
        assertEquals(0x1234L, AccessAddress.faultAddress(civac, r, 0));
    }

    @Test
    void faultAddressOfAnOrdinaryAccessIsItsEffectiveAddress() {
        MemoryAccess a = decode(0xa9be7bfd); // stp x29, x30, [sp, #-32]!
        assertEquals(0x7FE0L, AccessAddress.faultAddress(a, new Regs().sp(0x8000), 0));
    }
}
