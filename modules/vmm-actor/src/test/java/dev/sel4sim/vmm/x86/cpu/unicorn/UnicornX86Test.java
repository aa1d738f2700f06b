package dev.sel4sim.vmm.x86.cpu.unicorn;

import dev.sel4sim.vmm.cpu.unicorn.UnicornLibrary;
import dev.sel4sim.vmm.x86.cpu.SegmentReg;
import dev.sel4sim.vmm.x86.cpu.TableRegister;
import dev.sel4sim.vmm.x86.cpu.X86Cpu;
import dev.sel4sim.vmm.x86.cpu.X86Hooks;
import dev.sel4sim.vmm.x86.cpu.X86Reg;
import dev.sel4sim.vmm.x86.cpu.X86SliceResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Runs hand-assembled 32-bit x86 code on the binding: port I/O, CPUID, HLT, interrupts, #UD and the shim's stops. */
class UnicornX86Test {
    static final long CODE = 0x1000;
    static UnicornX86Library lib;

    final Arena arena = Arena.ofShared();
    final MemorySegment ram = arena.allocate(0x10000, 4096);
    final List<String> events = new ArrayList<>();
    UnicornX86 cpu;

    @BeforeAll
    static void load() {
        assumeTrue(UnicornLibrary.available(), "Unicorn not set up (scripts/setup.sh)");
        lib = UnicornX86Library.locate();
    }

    @AfterEach
    void close() {
        if (cpu != null) {
            cpu.close();
        }
        arena.close();
    }

    UnicornX86 cpu(int... code) {
        for (int i = 0; i < code.length; i++) {
            ram.set(JAVA_BYTE, CODE + i, (byte) code[i]);
        }
        cpu = UnicornX86.open(lib, 0, UnicornX86.Mode.PROTECTED32, new X86Hooks() {
            @Override
            public int in(int port, int size) {
                events.add("in " + Integer.toHexString(port) + "/" + size);
                return 0xa5;
            }

            @Override
            public void out(int port, int size, int value) {
                events.add("out " + Integer.toHexString(port) + "/" + size + "=" + Integer.toHexString(value));
            }

            @Override
            public boolean cpuid(X86Cpu c) {
                events.add("cpuid " + c.reg(X86Reg.EAX));
                c.setReg(X86Reg.EBX, 0x53454c34);
                return true;
            }

            @Override
            public void interrupt(int vector) {
                events.add("int " + Integer.toHexString(vector));
                cpu.requestStop();
            }
        });
        cpu.mapRam(0, ram);
        cpu.setReg(X86Reg.EIP, CODE);
        cpu.setReg(X86Reg.ESP, 0x8000);
        return cpu;
    }

    @Test
    void portIoAndCpuidReachTheHooksAndHltEndsTheRunPastIt() {
        // mov al,0x42; out 0x80,al; in al,0x60; mov ecx,eax; xor eax,eax; cpuid; hlt; mov edx,7; hlt
        cpu(0xb0, 0x42, 0xe6, 0x80, 0xe4, 0x60, 0x89, 0xc1, 0x31, 0xc0, 0x0f, 0xa2, 0xf4,
                0xba, 7, 0, 0, 0, 0xf4);
        X86SliceResult r = cpu.run(1000);
        assertEquals(X86SliceResult.Reason.HALTED, r.reason(), r.toString());
        assertEquals(List.of("out 80/1=42", "in 60/1", "cpuid 0"), events);
        assertEquals(0xa5, cpu.reg(X86Reg.ECX) & 0xff);
        assertEquals(0x53454c34, cpu.reg(X86Reg.EBX));
        assertEquals(CODE + 13, cpu.reg(X86Reg.EIP), "EIP past the HLT");
        // The next slice resumes after the HLT.
        r = cpu.run(1000);
        assertEquals(X86SliceResult.Reason.HALTED, r.reason());
        assertEquals(7, cpu.reg(X86Reg.EDX));
        assertEquals(CODE + 19, cpu.reg(X86Reg.EIP));
    }

    @Test
    void softwareInterruptReachesTheHookWithEipPastIt() {
        // int 0x21; hlt
        cpu(0xcd, 0x21, 0xf4);
        X86SliceResult r = cpu.run(1000);
        assertEquals(X86SliceResult.Reason.REQUESTED, r.reason(), r.toString());
        assertEquals(List.of("int 21"), events);
        assertEquals(CODE + 2, cpu.reg(X86Reg.EIP));
    }

    @Test
    void undefinedOpcodeEndsTheRunAtTheInstruction() {
        // nop; ud2
        cpu(0x90, 0x0f, 0x0b);
        X86SliceResult r = cpu.run(1000);
        assertEquals(X86SliceResult.Reason.INVALID_OPCODE, r.reason(), r.toString());
        assertEquals(CODE + 1, cpu.reg(X86Reg.EIP));
        assertTrue(events.isEmpty(), events.toString());
    }

    @Test
    void deadlineEndsASpinningGuest() {
        // jmp $
        cpu(0xeb, 0xfe);
        X86SliceResult r = cpu.run(500);
        assertEquals(X86SliceResult.Reason.DEADLINE, r.reason());
        assertTrue(r.instructions() >= 500 && r.instructions() < 510, r.toString());
        assertEquals(CODE, cpu.reg(X86Reg.EIP));
    }

    @Test
    void irqWindowStopsRightAfterSti() {
        // cli; mov ecx,100; loop $; sti; jmp $
        cpu(0xfa, 0xb9, 100, 0, 0, 0, 0xe2, 0xfe, 0xfb, 0xeb, 0xfe);
        cpu.setIrqWindow(true);
        X86SliceResult r = cpu.run(100_000);
        assertEquals(X86SliceResult.Reason.IRQ_WINDOW, r.reason(), r.toString());
        assertEquals(0, cpu.reg(X86Reg.ECX));
        assertTrue(cpu.reg(X86Reg.EIP) >= CODE + 9, Long.toHexString(cpu.reg(X86Reg.EIP)));
        assertTrue((cpu.reg(X86Reg.EFLAGS) & 0x200) != 0);
    }

    @Test
    void registersDescriptorTablesMsrsAndLinearMemory() {
        cpu(0xf4);
        cpu.setIdtr(new TableRegister(0x2000, 0x7ff));
        assertEquals(new TableRegister(0x2000, 0x7ff), cpu.idtr());
        cpu.setMsr(0xc0000100, 0x1234_5678_9abcL); // FS base
        assertEquals(0x1234_5678_9abcL, cpu.msr(0xc0000100));
        cpu.setReg(X86Reg.CR3, 0x3000);
        assertEquals(0x3000, cpu.reg(X86Reg.CR3));
        assertTrue(cpu.writeLinear(0x5000, new byte[] {1, 2, 3}));
        assertArrayEquals(new byte[] {1, 2, 3}, cpu.readLinear(0x5000, 3));
        assertEquals(2, ram.get(JAVA_BYTE, 0x5001));
        assertEquals(null, cpu.readLinear(0x20000, 4), "no memory there");
        assertEquals(1, cpu.reg(X86Reg.CR0) & 1, "32-bit mode starts with CR0.PE");
        events.add("cs " + cpu.segment(SegmentReg.CS));
    }
}
