package dev.sel4sim.vmm.cpu.unicorn;

import dev.sel4sim.vmm.cpu.ArmExceptionNumbers;
import dev.sel4sim.vmm.cpu.CpuHooks;
import dev.sel4sim.vmm.cpu.MmioHandler;
import dev.sel4sim.vmm.cpu.SliceResult;
import dev.sel4sim.vmm.cpu.SysReg;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Runs hand-assembled AArch64 code on the binding: registers, traps, MMIO and the shim's stops. */
class UnicornArm64Test {
    static final long RAM = 0x4000_0000L;
    static UnicornLibrary lib;

    final Arena arena = Arena.ofShared();
    final MemorySegment ram = arena.allocate(0x10000, 4096);
    final List<Integer> exceptions = new ArrayList<>();
    final List<String> sysregs = new ArrayList<>();
    UnicornArm64 cpu;

    @BeforeAll
    static void load() {
        assumeTrue(UnicornLibrary.available(), "Unicorn not set up (scripts/setup.sh)");
        lib = UnicornLibrary.locate();
    }

    @AfterEach
    void close() {
        if (cpu != null) {
            cpu.close();
        }
        arena.close();
    }

    UnicornArm64 cpu(int... code) {
        for (int i = 0; i < code.length; i++) {
            ram.set(JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 4L * i, code[i]);
        }
        cpu = UnicornArm64.open(lib, 0, UnicornArm64.Model.CORTEX_A53, new CpuHooks() {
            @Override
            public void exception(int intno) {
                exceptions.add(intno);
                cpu.requestStop();
            }

            @Override
            public boolean systemRegister(boolean read, int rt, SysReg reg) {
                sysregs.add((read ? "MRS " : "MSR ") + reg + " x" + rt);
                if (reg.equals(new SysReg(3, 3, 14, 0, 2))) { // CNTVCT_EL0
                    cpu.setX(rt, 0x1234_5678L);
                    return true;
                }
                if (reg.equals(new SysReg(3, 3, 14, 3, 2))) { // CNTV_CVAL_EL0
                    sysregs.add("value " + Long.toHexString(cpu.x(rt)));
                    return true;
                }
                return false;
            }
        });
        cpu.mapRam(RAM, ram, true);
        cpu.setPstate(0x3c5); // EL1h, DAIF masked, flags clear (the reset value has Z set)
        cpu.setPc(RAM);
        return cpu;
    }

    @Test
    void runsCodeAndReadsGeneralRegisters() {
        cpu(0xd2824680, // movz x0, #0x1234
            0x91000400, // add x0, x0, #1
            0xd2800fdd, // movz x29, #0x7e
            0xd4000001); // svc #0
        SliceResult r = cpu.run(1000);
        assertEquals(SliceResult.Reason.REQUESTED, r.reason());
        assertEquals(List.of(ArmExceptionNumbers.SVC), exceptions);
        assertEquals(0x1235, cpu.x(0));
        assertEquals(0x7e, cpu.x(29));
        assertEquals(RAM + 16, cpu.pc(), "SVC's preferred return address is the next instruction");
    }

    @Test
    void pstateNumberMatchesCurrentElAndDaif() {
        cpu(0xd5384241, // mrs x1, CurrentEL
            0xd53b4222, // mrs x2, DAIF
            0xd4000002); // hvc #0
        cpu.run(1000);
        assertEquals(4, cpu.x(1), "EL1");
        assertEquals(0x3c0, cpu.x(2));
        assertEquals(List.of(ArmExceptionNumbers.HVC), exceptions);
        assertEquals(0x3c5, cpu.pstate(), "the Z flag of the reset value was cleared by setPstate");
    }

    @Test
    void systemRegisterTrapsReadAndWrite() {
        cpu(0xd53be043, // mrs x3, cntvct_el0
            0xd2800544, // movz x4, #0x2a
            0xd51be344, // msr cntv_cval_el0, x4
            0xd4000001);
        cpu.run(1000);
        assertEquals(0x1234_5678L, cpu.x(3));
        assertEquals(List.of("MRS S3_3_C14_C0_2 x3", "MSR S3_3_C14_C3_2 x4", "value 2a"), sysregs);
    }

    @Test
    void mmioReadsAndWritesReachTheHandler() {
        List<String> log = new ArrayList<>();
        cpu(0xd2a12006, // movz x6, #0x0900, lsl #16   -> 0x09000000
            0xb94000c5, // ldr w5, [x6]
            0x110004a5, // add w5, w5, #1
            0xb90004c5, // str w5, [x6, #4]
            0xd4000001);
        cpu.mapMmio(0x0900_0000L, 0x1000, new MmioHandler() {
            @Override
            public long read(int vcpu, long offset, int size) {
                log.add("r " + offset + "/" + size);
                return 41;
            }

            @Override
            public void write(int vcpu, long offset, int size, long value) {
                log.add("w " + offset + "/" + size + "=" + value);
            }
        });
        cpu.run(1000);
        assertEquals(List.of("r 0/4", "w 4/4=42"), log);
    }

    @Test
    void deadlineEndsAComputeLoop() {
        cpu(0x91000400, 0x17ffffff); // add x0,x0,#1; b .-4
        SliceResult r = cpu.run(10_000);
        assertEquals(SliceResult.Reason.DEADLINE, r.reason());
        assertTrue(r.instructions() >= 10_000 && r.instructions() < 10_010, "" + r.instructions());
        assertTrue(cpu.x(0) >= 4999, "loop ran: x0=" + cpu.x(0));
    }

    @Test
    void stopRequestFromAnotherThreadEndsTheSlice() throws Exception {
        cpu(0x91000400, 0x17ffffff);
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            cpu.requestStop();
        });
        SliceResult r = cpu.run(Long.MAX_VALUE / 2);
        t.join();
        assertEquals(SliceResult.Reason.REQUESTED, r.reason());
        long x0 = cpu.x(0);
        assertTrue(x0 > 1000, "ran for a while: " + x0);
        // the flag is consumed: the next slice runs to its deadline
        assertEquals(SliceResult.Reason.DEADLINE, cpu.run(100).reason());
    }

    @Test
    void irqWindowStopsWhenTheGuestUnmasks() {
        cpu(0x91000400, 0x91000400, 0x14000001, // add; add; b +4 (a block boundary)
            0xd50342ff, // msr daifclr, #2
            0x14000001, // b +4
            0x91000400, 0x17ffffff);
        cpu.setIrqWindow(true);
        SliceResult r = cpu.run(1_000_000);
        assertEquals(SliceResult.Reason.IRQ_WINDOW, r.reason());
        assertEquals(0, cpu.pstate() & 0x80);
        assertTrue(r.instructions() < 100, "stopped soon after unmasking: " + r.instructions());
    }

    @Test
    void wfiEndsTheSliceAsHaltedPastTheInstruction() {
        cpu(0xd503207f, 0x91000400, 0xd4000001); // wfi; add; svc
        SliceResult w = cpu.run(1000);
        assertEquals(SliceResult.Reason.HALTED, w.reason());
        assertEquals(RAM + 4, cpu.pc());
        assertEquals(List.of(), exceptions);
        assertEquals(SliceResult.Reason.REQUESTED, cpu.run(1000).reason());
        assertEquals(1, cpu.x(0));
    }

    @Test
    void undefinedInstructionsArriveAsExceptions() {
        cpu(0x00000000); // udf #0
        cpu.run(1000);
        assertEquals(List.of(ArmExceptionNumbers.UNDEFINED), exceptions);
        assertEquals(RAM, cpu.pc(), "the PC stays at the undefined instruction");
    }

    @Test
    void wfeAndYieldRunAsHintsSoSpinLoopsEndOnlyAtTheDeadline() {
        cpu(0xd503205f, 0xd503203f, 0xd4000001); // wfe; yield; svc
        cpu.run(1000);
        assertEquals(List.of(ArmExceptionNumbers.SVC), exceptions);
        assertEquals(RAM + 12, cpu.pc());
    }

    @Test
    void withYieldOnHintTheSliceEndsPastEachWfeAndYield() {
        cpu(0xd503205f, 0x91000400, 0xd503203f, 0x91000421, 0xd4000001); // wfe; add x0; yield; add x1; svc
        cpu.yieldOnHint(true);
        SliceResult first = cpu.run(1000);
        assertEquals(SliceResult.Reason.HINT, first.reason());
        assertEquals(RAM + 4, cpu.pc());
        assertEquals(0, cpu.x(0));
        assertEquals(SliceResult.Reason.HINT, cpu.run(1000).reason());
        assertEquals(RAM + 12, cpu.pc());
        assertEquals(1, cpu.x(0));
        cpu.run(1000);
        assertEquals(List.of(ArmExceptionNumbers.SVC), exceptions);
        assertEquals(1, cpu.x(1));
        assertEquals(2, cpu.hintStops());
    }

    @Test
    void aWfeSpinLoopYieldsAtOnceInsteadOfRunningToItsDeadline() {
        cpu(0xd503205f, 0x17ffffff); // wfe; b .-4
        cpu.yieldOnHint(true);
        SliceResult r = cpu.run(1_000_000);
        assertEquals(SliceResult.Reason.HINT, r.reason());
        assertTrue(r.instructions() < 10, "" + r.instructions());
        cpu.yieldOnHint(false);
        assertEquals(SliceResult.Reason.DEADLINE, cpu.run(10_000).reason());
    }

    @Test
    void readsInstructionsByVirtualAddress() {
        cpu(0xd4000001, 0x91000400);
        assertEquals(0x91000400L, cpu.instructionAt(RAM + 4));
        assertEquals(RAM + 4, cpu.translate(RAM + 4, true));
        assertEquals(-1, cpu.instructionAt(0x1000));
    }

    @Test
    void systemRegistersRoundTripThroughTheCpRegInterface() {
        cpu(0xd4000001);
        cpu.setSysReg(SysReg.VBAR_EL1, 0x4008_0800L);
        assertEquals(0x4008_0800L, cpu.sysReg(SysReg.VBAR_EL1));
        cpu.setSysReg(SysReg.SP_EL0, 0x1230);
        assertEquals(0x1230, cpu.sysReg(SysReg.SP_EL0));
        cpu.setSysReg(SysReg.SP_EL1, 0x4567);
        assertEquals(0x4567, cpu.sysReg(SysReg.SP_EL1));
        cpu.setVreg(3, 0x1111, 0x2222);
        assertEquals(0x2222, cpu.vreg(3)[1]);
    }
}
