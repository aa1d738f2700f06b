package dev.sel4sim.vmm.x86.cpu;

import dev.sel4sim.vmm.cpu.unicorn.UnicornLibrary;
import dev.sel4sim.vmm.x86.cpu.unicorn.UnicornX86;
import dev.sel4sim.vmm.x86.cpu.unicorn.UnicornX86Library;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The CPUID the guest sees, answered on a real engine. */
class CpuidPolicyTest {
    @Test
    void aPlain686WithoutTscApicOrLongMode() {
        assumeTrue(UnicornLibrary.available(), "Unicorn not set up (scripts/setup.sh)");
        try (UnicornX86 cpu = UnicornX86.open(UnicornX86Library.locate(), 0, UnicornX86.Mode.PROTECTED32, null)) {
            CpuidPolicy policy = new CpuidPolicy();
            cpu.setReg(X86Reg.EAX, 0);
            policy.answer(cpu);
            assertEquals(1, cpu.reg(X86Reg.EAX));
            ByteBuffer v = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
            v.putInt((int) cpu.reg(X86Reg.EBX)).putInt((int) cpu.reg(X86Reg.EDX)).putInt((int) cpu.reg(X86Reg.ECX));
            assertEquals("GenuineIntel", new String(v.array(), StandardCharsets.US_ASCII));

            cpu.setReg(X86Reg.EAX, 1);
            policy.answer(cpu);
            long edx = cpu.reg(X86Reg.EDX);
            assertEquals(6, (cpu.reg(X86Reg.EAX) >> 8) & 0xf, "family 6");
            assertEquals(1L << 15, edx & (1L << 15), "CMOV, which a 686 kernel needs");
            assertEquals(1L << 8, edx & (1L << 8), "CX8");
            assertEquals(0, edx & (1L << 4), "no TSC");
            assertEquals(0, edx & (1L << 9), "no APIC");
            assertEquals(0, edx & (1L << 11), "no SEP");
            assertEquals(0, cpu.reg(X86Reg.ECX) & (1L << 31), "no hypervisor bit");

            cpu.setReg(X86Reg.EAX, 0x8000_0000L);
            policy.answer(cpu);
            assertEquals(0, cpu.reg(X86Reg.EAX), "no extended leaves");
        }
    }

    @Test
    void theApicBitFollowsTheMachine() {
        assumeTrue(UnicornLibrary.available(), "Unicorn not set up (scripts/setup.sh)");
        try (UnicornX86 cpu = UnicornX86.open(UnicornX86Library.locate(), 0, UnicornX86.Mode.PROTECTED32, null)) {
            for (boolean apic : new boolean[] {false, true}) {
                cpu.setReg(X86Reg.EAX, 1);
                new CpuidPolicy(apic).answer(cpu);
                assertEquals(apic ? 1L << 9 : 0, cpu.reg(X86Reg.EDX) & (1L << 9), "APIC bit, apic=" + apic);
                assertEquals(0, cpu.reg(X86Reg.ECX) & (1L << 21), "never x2APIC");
                assertEquals(0, cpu.reg(X86Reg.ECX) & (1L << 24), "never TSC deadline");
            }
        }
    }
}
