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

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The SLUB fast path of Debian's i386 kernel (kmem_cache_alloc: a hardened freelist pointer, then
 * CMPXCHG8B on the per-CPU slab, then JNE), run while an interrupt waits for EFLAGS.IF: the VCPU must
 * see IF clear and the other system bits unchanged throughout. A boot once took an interrupt here
 * with EFLAGS read back as 0xc22ef24a (IF and VM set).
 */
class EflagsAfterCmpxchg8bTest {
    static UnicornX86Library lib;
    final Arena arena = Arena.ofShared();
    final MemorySegment ram = arena.allocate(0x10000, 4096);
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

    @Test
    void aSliceEndingBeforeTheFastPathRunsItToTheNextBlockAndTheFlagsStayClean() {
        setUp();
        // The budget ends the slice at the fast path's block: the slice runs past it instead.
        X86SliceResult first = cpu.run(4);
        assertEquals(AFTER, cpu.reg(X86Reg.EIP), "first slice " + first);
        assertEquals(X86SliceResult.Reason.DEADLINE, first.reason());
        assertClean(first);
    }

    @Test
    void anOpenInterruptWindowRunsThroughTheFastPathWithIfStillClear() {
        setUp();
        cpu.setIrqWindow(true);
        X86SliceResult r = cpu.run(1000);
        assertEquals(X86SliceResult.Reason.HALTED, r.reason(), "IF stays clear: the run goes on to HLT");
        assertClean(r);
    }

    @Test
    void inOneRunTheEngineComputesTheFlagsRight() {
        setUp();
        X86SliceResult r = cpu.run(1000);
        assertEquals(X86SliceResult.Reason.HALTED, r.reason());
        assertClean(r);
    }

    private void assertClean(X86SliceResult r) {
        long flags = cpu.reg(X86Reg.EFLAGS);
        assertEquals(0x0020_0002L, flags & ~0x8d5L, String.format("system bits of 0x%x after %s", flags, r));
        assertEquals(0x40L, flags & 0x40, "ZF: the exchange happened");
        long head = (0xc22e_1234L ^ 0x9abc_def0L ^ Integer.reverseBytes(0x5010)) & 0xffff_ffffL;
        assertEquals((0x120L << 32) | head, ram.get(JAVA_LONG_UNALIGNED, 0x6000), "the new freelist head and tid");
    }

    /** Where the fast path's block ends (its JNE) and the next block starts. */
    static final long AFTER = 0x1000 + 39;

    void setUp() {
        cpu = UnicornX86.open(lib, 0, UnicornX86.Mode.PROTECTED32, new X86Hooks() {
            public int in(int port, int size) { return 0; }
            public void out(int port, int size, int value) { }
            public boolean cpuid(X86Cpu c) { return false; }
            public void interrupt(int vector) { cpu.requestStop(); }
        });
        ram.set(JAVA_LONG_UNALIGNED, 0x808, 0x00cf_9a00_0000_ffffL);
        ram.set(JAVA_LONG_UNALIGNED, 0x810, 0x00cf_9200_0000_ffffL);
        cpu.mapRam(0, ram);
        cpu.setGdtr(new TableRegister(0x800, 23));
        cpu.setSegment(SegmentReg.CS, 8);
        for (SegmentReg r : new SegmentReg[] {SegmentReg.DS, SegmentReg.ES, SegmentReg.SS, SegmentReg.FS}) {
            cpu.setSegment(r, 0x10);
        }
        cpu.setReg(X86Reg.ESP, 0x3000);
        int[] code = {
            0x85, 0xc9,                         // test ecx,ecx
            0x0f, 0x84, 0x40, 0x00, 0x00, 0x00, // je (not taken): ends the block
            0x8b, 0x5f, 0x1c,                   // mov ebx,[edi+0x1c]
            0x8b, 0x47, 0x78,                   // mov eax,[edi+0x78]
            0x01, 0xf3,                         // add ebx,esi
            0x33, 0x03,                         // xor eax,[ebx]
            0x89, 0xd9,                         // mov ecx,ebx
            0x0f, 0xc9,                         // bswap ecx
            0x31, 0xc8,                         // xor eax,ecx
            0x8d, 0x4a, 0x20,                   // lea ecx,[edx+0x20]
            0x89, 0xc3,                         // mov ebx,eax
            0x89, 0xf0,                         // mov eax,esi
            0x8b, 0x37,                         // mov esi,[edi]
            0x64, 0x0f, 0xc7, 0x0e,             // cmpxchg8b fs:[esi]
            0x75, 0x10,                         // jne (not taken)
            0x8b, 0x47, 0x1c,                   // mov eax,[edi+0x1c]
            0x90, 0x90, 0x90,
            0xf4};                              // hlt
        for (int i = 0; i < code.length; i++) {
            ram.set(JAVA_BYTE, 0x1000 + i, (byte) code[i]);
        }
        ram.set(JAVA_INT_UNALIGNED, 0x4000, 0x6000);          // [edi]: the per-CPU slab
        ram.set(JAVA_INT_UNALIGNED, 0x401c, 0x10);            // [edi+0x1c]: the freelist offset
        ram.set(JAVA_INT_UNALIGNED, 0x4078, 0xc22e_1234);     // [edi+0x78]: the cache's random
        ram.set(JAVA_INT_UNALIGNED, 0x5010, 0x9abc_def0);     // the object's hardened next pointer
        ram.set(JAVA_LONG_UNALIGNED, 0x6000, (0x100L << 32) | 0x5000); // freelist 0x5000, tid 0x100: equal
        cpu.setReg(X86Reg.ECX, 1);
        cpu.setReg(X86Reg.EDI, 0x4000);
        cpu.setReg(X86Reg.ESI, 0x5000);
        cpu.setReg(X86Reg.EDX, 0x100);
        cpu.setReg(X86Reg.EFLAGS, 0x0020_0082);
        cpu.setReg(X86Reg.EIP, 0x1000);
        cpu.setIrqWindow(false);
    }
}
