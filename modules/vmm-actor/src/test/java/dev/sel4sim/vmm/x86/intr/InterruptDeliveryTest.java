package dev.sel4sim.vmm.x86.intr;

import dev.sel4sim.vmm.x86.cpu.SegmentReg;
import dev.sel4sim.vmm.x86.cpu.SegmentState;
import dev.sel4sim.vmm.x86.cpu.TableRegister;
import dev.sel4sim.vmm.x86.cpu.X86Reg;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InterruptDeliveryTest {
    static final long GDT = 0x1000;
    static final long IDT = 0x2000;
    static final long TSS = 0x3000;
    static final long HANDLER = 0x0010_4560L;

    final FlatX86State s = new FlatX86State();

    @Test
    void realModeVectorsThroughTheIvtAndPushesFlagsCsIp() throws DeliveryFailure {
        s.put32(8 * 4, 0x1234_5678L); // IVT entry 8: segment 0x1234, offset 0x5678
        s.setSegment(SegmentReg.CS, 0x0700);
        s.setSegment(SegmentReg.SS, 0x0900);
        s.setReg(X86Reg.EIP, 0x0123);
        s.setReg(X86Reg.ESP, 0x0400);
        s.setReg(X86Reg.EFLAGS, 0x0202 | 0x100);

        InterruptDelivery.deliver(s, 8, InterruptKind.EXTERNAL, 0);

        assertEquals(0x1234, s.segment(SegmentReg.CS).selector());
        assertEquals(0x12340, s.segment(SegmentReg.CS).base());
        assertEquals(0x5678, s.reg(X86Reg.EIP));
        assertEquals(0x03fa, s.reg(X86Reg.ESP));
        long stack = 0x9000 + 0x3fa;
        assertEquals(0x0123, s.get16(stack), "IP");
        assertEquals(0x0700, s.get16(stack + 2), "CS");
        assertEquals(0x0302, s.get16(stack + 4), "FLAGS as they were");
        assertEquals(0x0002, s.reg(X86Reg.EFLAGS), "IF and TF cleared");
    }

    @Test
    void realModeVectorBeyondTheIvtLimitFails() {
        s.setIdtr(new TableRegister(0, 0x3f));
        DeliveryFailure f = assertThrows(DeliveryFailure.class, () -> InterruptDelivery.deliver(s, 0x10, InterruptKind.EXTERNAL, 0));
        assertTrue(f.getMessage().contains("IVT limit"), f.getMessage());
    }

    private void protectedMode(int cpl) {
        s.setGdtr(new TableRegister(GDT, 0x3f));
        s.setIdtr(new TableRegister(IDT, 0x7ff));
        s.flatSegment(1, 0xa, 0); // 0x08 ring-0 code
        s.flatSegment(2, 0x2, 0); // 0x10 ring-0 data
        s.flatSegment(3, 0xa, 3); // 0x1b ring-3 code
        s.flatSegment(4, 0x2, 3); // 0x23 ring-3 data
        s.setReg(X86Reg.CR0, 0x11);
        s.setSegment(SegmentReg.CS, cpl == 0 ? 0x08 : 0x1b);
        s.setSegment(SegmentReg.SS, cpl == 0 ? 0x10 : 0x23);
        s.setReg(X86Reg.EIP, 0x0010_0042L);
        s.setReg(X86Reg.ESP, 0x9000);
        s.setReg(X86Reg.EFLAGS, 0x0246);
    }

    @Test
    void interruptGateAtTheSameLevelPushesEflagsCsEipAndErrorCodeAndClearsIf() throws DeliveryFailure {
        protectedMode(0);
        s.gate(13, 0x08, HANDLER, 0xe, 0);

        InterruptDelivery.deliver(s, 13, InterruptKind.EXCEPTION, 0x18);

        assertEquals(HANDLER, s.reg(X86Reg.EIP));
        assertEquals(0x08, s.segment(SegmentReg.CS).selector());
        assertEquals(0x9000 - 16, s.reg(X86Reg.ESP));
        assertEquals(0x18, s.get32(0x9000 - 16), "error code");
        assertEquals(0x0010_0042L, s.get32(0x9000 - 12), "EIP");
        assertEquals(0x08, s.get32(0x9000 - 8), "CS");
        assertEquals(0x0246, s.get32(0x9000 - 4), "EFLAGS");
        assertEquals(0x0046, s.reg(X86Reg.EFLAGS), "interrupt gate clears IF");
    }

    @Test
    void trapGateKeepsIfAndExternalInterruptsPushNoErrorCode() throws DeliveryFailure {
        protectedMode(0);
        s.gate(0x20, 0x08, HANDLER, 0xf, 0);

        InterruptDelivery.deliver(s, 0x20, InterruptKind.EXTERNAL, 0x77);

        assertEquals(0x9000 - 12, s.reg(X86Reg.ESP));
        assertEquals(0x0010_0042L, s.get32(0x9000 - 12));
        assertEquals(0x0246, s.reg(X86Reg.EFLAGS));
    }

    @Test
    void fromRing3TheHandlerRunsOnTheTssStackWithTheOldStackPushed() throws DeliveryFailure {
        protectedMode(3);
        s.gate(0x80, 0x08, HANDLER, 0xe, 3);
        s.put32(TSS + 4, 0x7000); // ESP0
        s.put32(TSS + 8, 0x10);   // SS0
        s.setSystemSegment(SegmentReg.TR, new SegmentState(0x28, TSS, 0x67, 0x8b00));

        InterruptDelivery.deliver(s, 0x80, InterruptKind.SOFTWARE, 0);

        assertEquals(0x10, s.segment(SegmentReg.SS).selector());
        assertEquals(0x08, s.segment(SegmentReg.CS).selector());
        assertEquals(0x7000 - 20, s.reg(X86Reg.ESP));
        assertEquals(0x0010_0042L, s.get32(0x7000 - 20), "EIP");
        assertEquals(0x1b, s.get32(0x7000 - 16), "CS");
        assertEquals(0x0246, s.get32(0x7000 - 12), "EFLAGS");
        assertEquals(0x9000, s.get32(0x7000 - 8), "ESP");
        assertEquals(0x23, s.get32(0x7000 - 4), "SS");
        assertEquals(0, s.get32(0x9000 - 4), "nothing on the user stack");
    }

    @Test
    void softwareInterruptThroughAKernelOnlyGateFromRing3Fails() {
        protectedMode(3);
        s.gate(0x30, 0x08, HANDLER, 0xe, 0);
        DeliveryFailure f = assertThrows(DeliveryFailure.class, () -> InterruptDelivery.deliver(s, 0x30, InterruptKind.SOFTWARE, 0));
        assertTrue(f.getMessage().contains("#GP"), f.getMessage());
        assertEquals(0x0010_0042L, s.reg(X86Reg.EIP), "nothing changed");
    }

    @Test
    void missingGatesAndBadTargetsFailWithoutTouchingTheState() {
        protectedMode(0);
        s.setIdtr(new TableRegister(IDT, 0xff));
        assertThrows(DeliveryFailure.class, () -> InterruptDelivery.deliver(s, 0x20, InterruptKind.EXTERNAL, 0), "beyond limit");
        assertThrows(DeliveryFailure.class, () -> InterruptDelivery.deliver(s, 3, InterruptKind.EXTERNAL, 0), "not present");
        s.gate(4, 0x10, HANDLER, 0xe, 0);
        DeliveryFailure f = assertThrows(DeliveryFailure.class, () -> InterruptDelivery.deliver(s, 4, InterruptKind.EXTERNAL, 0));
        assertTrue(f.getMessage().contains("not a present code segment"), f.getMessage());
        s.gate(5, 0x08, HANDLER, 0x5, 0);
        f = assertThrows(DeliveryFailure.class, () -> InterruptDelivery.deliver(s, 5, InterruptKind.EXTERNAL, 0));
        assertTrue(f.getMessage().contains("task gate"), f.getMessage());
        assertEquals(0x9000, s.reg(X86Reg.ESP));
        assertFalse(InterruptDelivery.pushesErrorCode(0x20));
    }
}
