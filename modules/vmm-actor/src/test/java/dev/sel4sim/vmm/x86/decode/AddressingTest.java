package dev.sel4sim.vmm.x86.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Effective addresses from decoded operands, and register values after loads. */
class AddressingTest {
    private static final long[] REGS = new long[16];

    static {
        for (int i = 0; i < 16; i++) {
            REGS[i] = 0x1000L * (i + 1); // rax = 0x1000, rcx = 0x2000, ...
        }
        REGS[Gpr.RBX] = 0xffff;
        REGS[Gpr.RSI] = 0x10;
    }

    private static MemoryAccess decode(String hex, CpuMode mode) {
        return assertInstanceOf(MemoryAccess.class, X86Decoder.decode(HexFormat.of().parseHex(hex), mode));
    }

    @Test
    void ripRelativeCountsFromTheEndOfTheInstructionIncludingItsImmediate() {
        // mov dword ptr [rip+0x100], 1 at 0xffffffff81000000: 10 bytes
        MemoryAccess a = decode("c7050001000001000000", CpuMode.BITS64);
        long rip = 0xffffffff81000000L;
        assertEquals(rip + 10 + 0x100, a.address().effectiveAddress(i -> REGS[i], rip + a.length()));
    }

    @Test
    void eipRelativeWrapsAtThirtyTwoBits() {
        // mov eax, dword ptr [eip+0x10] (67 8b 05 10 00 00 00)
        MemoryAccess a = decode("678b0510000000", CpuMode.BITS64);
        assertEquals(0x9L, a.address().effectiveAddress(i -> REGS[i], 0xffff_fff9L));
    }

    @Test
    void baseIndexScaleDisplacement() {
        // mov eax, dword ptr [rax+r12*8+0x10]
        MemoryAccess a = decode("428b44e010", CpuMode.BITS64);
        assertEquals(0x1000 + 0xd000L * 8 + 0x10, a.address().effectiveAddress(i -> REGS[i], 0));
        // mov eax, dword ptr [eax+ebp*1-0x80]
        MemoryAccess b = decode("8b442880", CpuMode.BITS32);
        assertEquals(0x1000 + 0x6000 - 0x80, b.address().effectiveAddress(i -> REGS[i], 0));
    }

    @Test
    void sixteenBitAddressesWrapAtSixtyFourKilobytes() {
        // mov word ptr [bx+si], ax with bx = 0xffff, si = 0x10
        MemoryAccess a = decode("8900", CpuMode.BITS16);
        assertEquals(0xf, a.address().effectiveAddress(i -> REGS[i], 0));
        // mov byte ptr [0x8000], 1: the displacement is an offset, not -0x8000
        MemoryAccess b = decode("c606008001", CpuMode.BITS16);
        assertEquals(0x8000, b.address().effectiveAddress(i -> REGS[i], 0));
    }

    @Test
    void loadsMergeIntoTheRegisterAsTheWidthDemands() {
        long old = 0x1122_3344_5566_7788L;
        assertEquals(0x0000_0000_dead_beefL, decode("8b03", CpuMode.BITS64).loadedRegister(old, 0xdead_beefL),
                "a 32-bit load clears bits 63:32");
        assertEquals(0x1122_3344_5566_beefL, decode("668b03", CpuMode.BITS64).loadedRegister(old, 0xdead_beefL),
                "a 16-bit load keeps bits 63:16");
        assertEquals(0x1122_3344_5566_77efL, decode("8a03", CpuMode.BITS64).loadedRegister(old, 0xdead_beefL),
                "an 8-bit load keeps bits 63:8");
        assertEquals(0x1122_3344_5566_ef88L, decode("8a23", CpuMode.BITS64).loadedRegister(old, 0xef),
                "mov ah loads bits 15:8");
        assertEquals(0xffff_ffff_ffff_ff80L, decode("480fbe03", CpuMode.BITS64).loadedRegister(old, 0x80),
                "movsx rax, byte sign-extends to 64 bits");
        assertEquals(0x0000_0000_ffff_8000L, decode("0fbf03", CpuMode.BITS64).loadedRegister(old, 0x8000),
                "movsx eax, word sign-extends to 32 bits and clears the top");
        assertEquals(0x1122_3344_5566_0080L, decode("660fb603", CpuMode.BITS64).loadedRegister(old, 0x80),
                "movzx ax, byte zero-extends to 16 bits only");
        assertEquals(0x0000_0000_0000_ff80L, decode("0fb703", CpuMode.BITS64).loadedRegister(old, 0xdead_ff80L),
                "movzx eax, word");
    }

    @Test
    void repCountRegisterFollowsTheAddressSize() {
        assertEquals(new Gpr(Gpr.RCX, 8, false), decode("f348a5", CpuMode.BITS64).countRegister().orElseThrow());
        assertEquals(new Gpr(Gpr.RCX, 4, false), decode("67f3ab", CpuMode.BITS64).countRegister().orElseThrow());
        assertEquals(new Gpr(Gpr.RCX, 2, false), decode("f3ab", CpuMode.BITS16).countRegister().orElseThrow());
        assertEquals(new Gpr(Gpr.RCX, 4, false), decode("67f3a4", CpuMode.BITS16).countRegister().orElseThrow());
        assertEquals(false, decode("ab", CpuMode.BITS32).countRegister().isPresent());
        assertEquals(false, decode("f38b03", CpuMode.BITS32).countRegister().isPresent(), "REP on MOV counts nothing");
    }

    @Test
    void movsNamesBothSides() {
        MemoryAccess a = decode("f3a4", CpuMode.BITS32);
        MemoryOperand destination = assertInstanceOf(MemoryOperand.class, a.operand());
        assertEquals(0x7010L, a.address().effectiveAddress(i -> REGS[i], 0) + 0x7000);
        assertEquals(0x8000L, destination.address().effectiveAddress(i -> REGS[i], 0));
    }

    @Test
    void loadedRegisterRefusesVectorOperands() {
        assertThrows(IllegalStateException.class, () -> decode("f30f7e18", CpuMode.BITS32).loadedRegister(0, 0));
    }
}
