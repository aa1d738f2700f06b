package dev.sel4sim.vmm.arm.vcpu;

import dev.sel4sim.vmm.cpu.ArmExceptionNumbers;
import dev.sel4sim.vmm.cpu.CpuHooks;
import dev.sel4sim.vmm.cpu.SliceResult;
import dev.sel4sim.vmm.cpu.SysReg;
import dev.sel4sim.vmm.cpu.unicorn.UnicornArm64;
import dev.sel4sim.vmm.cpu.unicorn.UnicornLibrary;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Exception entry emulated on a real CPU back end: the guest's handler sees what hardware would give it. */
class ExceptionEntryTest {
    static final long RAM = 0x4000_0000L;
    final Arena arena = Arena.ofShared();
    final MemorySegment ram = arena.allocate(0x4000, 4096);
    final List<Integer> exits = new ArrayList<>();
    UnicornArm64 cpu;

    @AfterEach
    void close() {
        if (cpu != null) {
            cpu.close();
        }
        arena.close();
    }

    void put(long offset, int... code) {
        for (int i = 0; i < code.length; i++) {
            ram.set(JAVA_INT_UNALIGNED, offset + 4L * i, code[i]);
        }
    }

    @Test
    void svcFromEl0EntersTheLowerElVectorWithSyndromeAndBankedStack() {
        assumeTrue(UnicornLibrary.available());
        put(0, 0xd4000241, // svc #0x12
               0x910003e5, // mov x5, sp
               0x14000000); // b .
        put(0xc00, 0xd5385200, // mrs x0, esr_el1
                   0xd5384021, // mrs x1, elr_el1
                   0xd5384002, // mrs x2, spsr_el1
                   0x910003e3, // mov x3, sp
                   0xd5384244, // mrs x4, CurrentEL
                   0xd69f03e0); // eret
        cpu = UnicornArm64.open(UnicornLibrary.locate(), 0, UnicornArm64.Model.CORTEX_A53, new CpuHooks() {
            @Override
            public void exception(int intno) {
                exits.add(intno);
                cpu.requestStop();
            }

            @Override
            public boolean systemRegister(boolean read, int rt, SysReg reg) {
                return false;
            }
        });
        cpu.mapRam(RAM, ram, true);
        cpu.setSysReg(SysReg.VBAR_EL1, RAM + 0x800);
        cpu.setSysReg(SysReg.SP_EL1, RAM + 0x3000);
        cpu.setPstate(0x3c0); // EL0t
        cpu.setSp(RAM + 0x2000);
        cpu.setPc(RAM);

        assertEquals(SliceResult.Reason.REQUESTED, cpu.run(100).reason());
        assertEquals(List.of(ArmExceptionNumbers.SVC), exits);
        long vector = ExceptionEntry.take(cpu, ExceptionEntry.Kind.SYNC, cpu.pc(), ExceptionEntry.esr(0x15, 0x12), -1);
        assertEquals(RAM + 0xc00, vector);

        cpu.run(100);
        assertEquals(0x5600_0012L, cpu.x(0), "ESR: EC 0x15, IL, imm16");
        assertEquals(RAM + 4, cpu.x(1), "ELR: after the SVC");
        assertEquals(0x3c0, cpu.x(2), "SPSR: EL0t with DAIF as it was");
        assertEquals(RAM + 0x3000, cpu.x(3), "handler runs on SP_EL1");
        assertEquals(4, cpu.x(4), "handler runs at EL1");
        assertEquals(RAM + 0x2000, cpu.x(5), "ERET brought back SP_EL0");
        assertEquals(RAM + 8, cpu.pc());
    }

    @Test
    void irqFromEl1hUsesTheCurrentElSpxVectorAndKeepsTheStack() {
        assumeTrue(UnicornLibrary.available());
        put(0, 0x14000000);
        put(0xa80, 0x910003e3, 0xd5384002, 0x14000000); // mov x3, sp; mrs x2, spsr_el1; b .
        cpu = UnicornArm64.open(UnicornLibrary.locate(), 0, UnicornArm64.Model.CORTEX_A53, new CpuHooks() {
            @Override
            public void exception(int intno) {
                cpu.requestStop();
            }

            @Override
            public boolean systemRegister(boolean read, int rt, SysReg reg) {
                return false;
            }
        });
        cpu.mapRam(RAM, ram, true);
        cpu.setSysReg(SysReg.VBAR_EL1, RAM + 0x800);
        cpu.setPstate(0x345); // EL1h, IRQ unmasked
        cpu.setSp(RAM + 0x3800);
        cpu.setPc(RAM);
        cpu.run(10);
        assertEquals(RAM + 0xa80, ExceptionEntry.take(cpu, ExceptionEntry.Kind.IRQ, cpu.pc(), 0, -1));
        cpu.run(10);
        assertEquals(RAM + 0x3800, cpu.x(3));
        assertEquals(0x345, cpu.x(2));
        assertEquals(0x3c5, cpu.pstate() & 0x3cf);
    }
}
