package dev.sel4sim.vmm.x86.cpu.unicorn;

import dev.sel4sim.vmm.cpu.unicorn.UnicornLibrary;
import dev.sel4sim.vmm.x86.cpu.SegmentReg;
import dev.sel4sim.vmm.x86.cpu.TableRegister;
import dev.sel4sim.vmm.x86.cpu.X86Cpu;
import dev.sel4sim.vmm.x86.cpu.X86Hooks;
import dev.sel4sim.vmm.x86.cpu.X86Reg;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The engine's double-fault bookkeeping, found by the start-up probe and cleared between faults. */
class ExceptionBookkeepingTest {
    static UnicornX86Library lib;

    final Arena arena = Arena.ofShared();
    final MemorySegment ram = arena.allocate(0x10000, 4096);
    final List<Integer> vectors = new ArrayList<>();
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

    void open() {
        cpu = UnicornX86.open(lib, 0, UnicornX86.Mode.PROTECTED32, new X86Hooks() {
            @Override
            public int in(int port, int size) {
                return 0;
            }

            @Override
            public void out(int port, int size, int value) {
            }

            @Override
            public boolean cpuid(X86Cpu c) {
                return false;
            }

            @Override
            public void interrupt(int vector) {
                vectors.add(vector);
                cpu.requestStop();
            }
        });
        ram.set(JAVA_LONG_UNALIGNED, 0x808, 0x00cf_9a00_0000_ffffL);
        ram.set(JAVA_LONG_UNALIGNED, 0x810, 0x00cf_9200_0000_ffffL);
        cpu.mapRam(0, ram);
        cpu.setGdtr(new TableRegister(0x800, 23));
        cpu.setSegment(SegmentReg.CS, 8);
        cpu.setSegment(SegmentReg.DS, 0x10);
        cpu.setSegment(SegmentReg.SS, 0x10);
        cpu.setReg(X86Reg.ESP, 0x3000);
    }

    void code(long at, int... bytes) {
        for (int i = 0; i < bytes.length; i++) {
            ram.set(JAVA_BYTE, at + i, (byte) bytes[i]);
        }
    }

    @Test
    void theProbeRecognisesThisLibrary() {
        ExceptionStateLayout layout = lib.exceptionLayout();
        assertTrue(layout.recognised(), String.valueOf(layout.failure()));
        assertTrue(layout.offset() > 0 && layout.offset() + 4 <= layout.contextSize(), layout.toString());
    }

    @Test
    void withoutClearingTheSecondFaultIsADoubleFaultAndWithClearingEachIsItself() {
        open();
        code(0x1000, 0x66, 0xb8, 0x38, 0x12, 0x8e, 0xd8); // mov ax,0x1238; mov ds,ax: #GP, beyond the GDT
        for (int i = 0; i < 2; i++) {
            cpu.setReg(X86Reg.EIP, 0x1000);
            cpu.run(100);
        }
        assertEquals(List.of(13, 8), vectors, "the engine's own bookkeeping");
        assertEquals(0, cpu.exceptionErrorCode(), "a #DF's error code");
        cpu.clearExceptionInFlight();
        for (int i = 0; i < 3; i++) {
            cpu.setReg(X86Reg.EIP, 0x1000);
            cpu.run(100);
            cpu.clearExceptionInFlight();
        }
        assertEquals(List.of(13, 8, 13, 13, 13), vectors);
        assertEquals(0x1238, cpu.exceptionErrorCode(), "the #GP's selector error code");
    }

    @Test
    void aPageFaultLeavesEipAtTheInstructionAndTheAddressInCr2AcrossSlices() {
        open();
        // Page directory at 0x4000: one 4 MiB page at 0 (PSE), nothing above.
        ram.set(JAVA_INT_UNALIGNED, 0x4000, 0x87);
        // mov eax,0x10; mov cr4,eax; mov eax,0x4000; mov cr3,eax; mov eax,cr0; or eax,0x80000000; mov cr0,eax; jmp $+2; hlt
        code(0x1000, 0xb8, 0x10, 0, 0, 0, 0x0f, 0x22, 0xe0, 0xb8, 0, 0x40, 0, 0, 0x0f, 0x22, 0xd8, 0x0f, 0x20, 0xc0,
                0x0d, 0, 0, 0, 0x80, 0x0f, 0x22, 0xc0, 0xeb, 0x00, 0xf4);
        // nop; nop; mov eax,[0x00800004]; nop; mov [0x00c00008],eax; hlt
        code(0x2000, 0x90, 0x90, 0xa1, 0x04, 0, 0x80, 0, 0x90, 0xa3, 0x08, 0, 0xc0, 0, 0xf4);
        cpu.setReg(X86Reg.EIP, 0x1000);
        cpu.run(10_000);
        assertEquals(0, cpu.reg(X86Reg.CR2), "a slice with paging on leaves CR2 alone");
        cpu.setReg(X86Reg.EIP, 0x2000);
        cpu.run(10_000);
        assertEquals(List.of(14), vectors);
        assertEquals(0x2002, cpu.reg(X86Reg.EIP), "EIP at the faulting load, mid-block");
        assertEquals(0x0080_0004L, cpu.reg(X86Reg.CR2));
        cpu.clearExceptionInFlight();
        cpu.setReg(X86Reg.EIP, 0x2007);
        cpu.run(10_000);
        assertEquals(List.of(14, 14), vectors, "the second fault is a #PF again, not #DF");
        assertEquals(0x2008, cpu.reg(X86Reg.EIP));
        assertEquals(0x00c0_0008L, cpu.reg(X86Reg.CR2));
    }
}
