package dev.sel4sim.vmm.arm.vm;

import dev.sel4sim.vmm.run.VmClock;
import dev.sel4sim.vmm.run.VmStop;
import dev.sel4sim.vmm.run.StepResult;
import dev.sel4sim.vmm.cpu.Arm64Cpu;
import dev.sel4sim.vmm.cpu.unicorn.UnicornLibrary;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Small firmware programs run as a VM: what the guest sees of faults, PSCI and the timer. */
class ArmVmTest {
    static UnicornLibrary lib;

    @BeforeAll
    static void load() {
        assumeTrue(UnicornLibrary.available(), "Unicorn not set up (scripts/setup.sh)");
        lib = UnicornLibrary.locate();
    }

    static ArmVm vm(int vcpus, VmClock clock, int... code) throws Exception {
        return vm(dev.sel4sim.vmm.arm.psci.SmcPolicy.denyAll(), vcpus, clock, code);
    }

    static ArmVm vm(dev.sel4sim.vmm.arm.psci.SmcPolicy smc, int vcpus, VmClock clock, int... code) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(0x1000).order(ByteOrder.LITTLE_ENDIAN);
        for (int c : code) {
            b.putInt(c);
        }
        Path fw = Files.createTempFile("armvm", ".bin");
        Files.write(fw, b.array());
        fw.toFile().deleteOnExit();
        ArmVmSpec spec = new ArmVmSpec("t", 0x4000_0000L, 64L << 20, vcpus, "cortex-a53", 2, clock, 1, 100_000,
                Optional.empty(), Optional.empty(), "", Optional.of(fw), 0, ArmVmLayout.qemuVirt(), 62_500_000L);
        return ArmVmBuilder.build(spec, lib, x -> { }, smc);
    }

    static VmStop runToStop(ArmVm vm) {
        for (int i = 0; i < 100_000; i++) {
            if (vm.step() instanceof StepResult.Stopped s) {
                return s.why();
            }
        }
        throw new AssertionError("the VM did not stop");
    }

    // Vector table at 0x800 (VBAR_EL1); current-EL SPx synchronous entry at +0x200 = 0xa00.
    static int[] withVector(int[] main, int[] handler) {
        int[] all = new int[0xa00 / 4 + handler.length];
        System.arraycopy(main, 0, all, 0, main.length);
        for (int i = main.length; i < 0xa00 / 4; i++) {
            all[i] = 0x14000000; // b .
        }
        System.arraycopy(handler, 0, all, 0xa00 / 4, handler.length);
        return all;
    }

    static final int MSR_VBAR_X9 = 0xd518c009;     // msr vbar_el1, x9
    static final int MOVZ_X9_0X800 = 0xd2810009;   // movz x9, #0x800
    static final int SYSTEM_OFF_LO = 0xd2800100;   // movz x0, #8
    static final int SYSTEM_OFF_HI = 0xf2b08000;   // movk x0, #0x8400, lsl 16
    static final int HVC = 0xd4000002;

    @Test
    void accessWithNoRamOrDeviceIsAVmFaultAndAnExternalAbortForTheGuest() throws Exception {
        try (ArmVm vm = vm(1, VmClock.DETERMINISTIC, withVector(new int[] {
                MOVZ_X9_0X800, MSR_VBAR_X9,
                0xd2a40003,        // movz x3, #0x2000, lsl 16  -> 0x20000000: nothing there
                0xb9400064,        // ldr w4, [x3]
                0x14000000}, new int[] {
                0xd5385205,        // mrs x5, esr_el1
                0xd5386006,        // mrs x6, far_el1
                0xd5384027,        // mrs x7, elr_el1
                SYSTEM_OFF_LO, SYSTEM_OFF_HI, HVC}))) {
            assertInstanceOf(VmStop.PoweredOff.class, runToStop(vm));
            Arm64Cpu cpu = vm.vcpus().getFirst().cpu();
            assertEquals(0x9600_0010L, cpu.x(5), "EC 0x25 (data abort, same EL), IL, DFSC synchronous external abort");
            assertEquals(0x2000_0000L, cpu.x(6), "FAR is the address accessed");
            assertEquals(12, cpu.x(7), "ELR is the load");
            assertTrue(vm.notes().getFirst().contains("guest-physical 0x20000000"), vm.notes().toString());
        }
    }

    static final int[] SIP_SMC_TWICE = {
            0xd28000c0, 0xf2b84000,  // movz x0, #6; movk x0, #0xc200, lsl 16 -> 0xc2000006 (SiP, SMC64, function 6)
            0xd4000003,              // smc #0
            0xaa0003f5,              // mov x21, x0
            0xd28000c0, 0xf2b84000, 0xd4000003, // the same call again
            SYSTEM_OFF_LO, SYSTEM_OFF_HI, HVC};

    @Test
    void smcDeniedByDefaultReturnsNotSupportedAndIsLoggedOnceDecoded() throws Exception {
        try (ArmVm vm = vm(1, VmClock.DETERMINISTIC, SIP_SMC_TWICE)) {
            assertInstanceOf(VmStop.PoweredOff.class, runToStop(vm));
            assertEquals(-1L, vm.vcpus().getFirst().cpu().x(21), "NOT_SUPPORTED");
            assertEquals(1, vm.notes().size(), vm.notes().toString());
            assertTrue(vm.notes().getFirst().contains("0xc2000006") && vm.notes().getFirst().contains("SiP"), vm.notes().getFirst());
        }
    }

    @Test
    void smcEmulatedByPolicyReturnsItsValues() throws Exception {
        var policy = dev.sel4sim.vmm.arm.psci.SmcPolicy.of(dev.sel4sim.vmm.arm.psci.SmcPolicy.Mode.EMULATE,
                java.util.List.of(dev.sel4sim.vmm.arm.psci.SmcPolicy.Rule.answer(0xc2000006,
                        new dev.sel4sim.vmm.arm.psci.SmcValues(0x1234, 0, 0, 0))));
        try (ArmVm vm = vm(policy, 1, VmClock.DETERMINISTIC, SIP_SMC_TWICE)) {
            assertInstanceOf(VmStop.PoweredOff.class, runToStop(vm));
            assertEquals(0x1234, vm.vcpus().getFirst().cpu().x(21));
        }
    }

    @Test
    void anElfKernelIsLoadedAtItsPhysicalAddressesAndGetsTheDtbInX0() throws Exception {
        int[] code = {0xaa0003f4, 0xb9400015, SYSTEM_OFF_LO, SYSTEM_OFF_HI, HVC}; // mov x20, x0; ldr w21, [x0]
        ByteBuffer b = ByteBuffer.allocate(0x400).order(ByteOrder.LITTLE_ENDIAN);
        long at = 0x4008_0000L;
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
        b.putShort(16, (short) 2).putShort(18, (short) 183).putInt(20, 1).putLong(24, at).putLong(32, 64);
        b.putShort(52, (short) 64).putShort(54, (short) 56).putShort(56, (short) 1).putShort(58, (short) 64);
        b.putInt(64, 1).putInt(68, 5).putLong(72, 0x200).putLong(80, at).putLong(88, at)
                .putLong(96, code.length * 4L).putLong(104, 0x1000).putLong(112, 0x1000);
        for (int i = 0; i < code.length; i++) {
            b.putInt(0x200 + 4 * i, code[i]);
        }
        Path elf = Files.createTempFile("armvm", ".elf");
        Files.write(elf, b.array());
        elf.toFile().deleteOnExit();
        ArmVmSpec spec = new ArmVmSpec("elf", 0x4000_0000L, 64L << 20, 1, "cortex-a53", 2, VmClock.DETERMINISTIC, 1, 100_000,
                Optional.of(elf), Optional.empty(), "console=ttyAMA0", Optional.empty(), 0, ArmVmLayout.qemuVirt(), 62_500_000L);
        try (ArmVm vm = ArmVmBuilder.build(spec, lib, x -> { })) {
            assertInstanceOf(VmStop.PoweredOff.class, runToStop(vm));
            Arm64Cpu cpu = vm.vcpus().getFirst().cpu();
            assertEquals(0x4020_0000L, cpu.x(20), "the DTB 2 MiB-aligned after the image");
            assertEquals(0xedfe0dd0L, cpu.x(21), "FDT magic 0xd00dfeed, big-endian, read as a little-endian word");
        }
    }

    @Test
    void psciCpuOnStartsTheSecondVcpuAtItsEntryWithTheContextId() throws Exception {
        // VCPU 0: CPU_ON(target 1, entry 0x100, context 0x55), then spins; VCPU 1: writes x0 to x20 and powers off.
        int[] code = new int[0x120 / 4];
        int[] main = {
                0xd2800060, 0xf2b88000,  // movz x0, #3; movk x0, #0xc400, lsl 16 -> CPU_ON (SMC64)
                0xd2800021,              // movz x1, #1 (MPIDR 1)
                0xd2802002,              // movz x2, #0x100 (entry)
                0xd2800aa3,              // movz x3, #0x55 (context)
                HVC,
                0xaa0003f5,              // mov x21, x0 (CPU_ON's return)
                0x14000000};             // b .
        System.arraycopy(main, 0, code, 0, main.length);
        for (int i = main.length; i < 0x100 / 4; i++) {
            code[i] = 0x14000000;
        }
        int[] second = {0xaa0003f4, 0xd53800b6, SYSTEM_OFF_LO, SYSTEM_OFF_HI, HVC}; // mov x20, x0; mrs x22, mpidr_el1; SYSTEM_OFF
        System.arraycopy(second, 0, code, 0x100 / 4, second.length);
        try (ArmVm vm = vm(2, VmClock.DETERMINISTIC, code)) {
            assertInstanceOf(VmStop.PoweredOff.class, runToStop(vm));
            assertEquals(0, vm.vcpus().get(0).cpu().x(21), "CPU_ON returned SUCCESS");
            assertEquals(0x55, vm.vcpus().get(1).cpu().x(20), "the context id arrives in x0");
            assertEquals(0x8000_0001L, vm.vcpus().get(1).cpu().x(22), "the second VCPU reads its own MPIDR (Aff0 1)");
        }
    }

    @Test
    void wfiWithTheTimerArmedSkipsAheadInDeterministicTime() throws Exception {
        // Arm the virtual timer 1 s ahead (62.5M ticks), mask its IRQ at the CPU, WFI, then read the counter.
        try (ArmVm vm = vm(1, VmClock.DETERMINISTIC,
                0xd53be041,              // mrs x1, cntvct_el0
                0xd2959402, 0xf2a07722,  // movz x2, #0xaca0; movk x2, #0x3b9, lsl 16 -> 62,500,000 ticks = 1 s
                0x8b020021,              // add x1, x1, x2
                0xd51be341,              // msr cntv_cval_el0, x1
                0xd2800023,              // movz x3, #1
                0xd51be323,              // msr cntv_ctl_el0, x3 (enable, unmasked)
                0xd503207f,              // wfi
                0xd53be04a,              // mrs x10, cntvct_el0
                SYSTEM_OFF_LO, SYSTEM_OFF_HI, HVC)) {
            assertInstanceOf(VmStop.PoweredOff.class, runToStop(vm));
            Arm64Cpu cpu = vm.vcpus().getFirst().cpu();
            long target = cpu.x(1);
            assertTrue(cpu.x(10) >= target, "woke at or after the deadline: " + cpu.x(10) + " < " + target);
            assertTrue(cpu.x(10) - target < 1000, "woke right at the deadline, not later: " + (cpu.x(10) - target) + " ticks");
            assertTrue(vm.vcpus().getFirst().cpu().instructions() < 1000, "the wait was skipped, not executed");
        }
    }

    @Test
    void aVcpuWaitingInWfeLetsTheOtherRunInsteadOfSpinningItsSlice() throws Exception {
        // VCPU 0 starts VCPU 1, then waits for a flag in RAM with WFE (as Linux's spin-waits do);
        // VCPU 1 counts down 50,000 (100k instructions, more than one 100k quantum), sets the flag.
        int[] code = new int[0x140 / 4];
        int[] main = {
                0xd2800060, 0xf2b88000,  // movz x0, #3; movk x0, #0xc400, lsl 16 -> CPU_ON (SMC64)
                0xd2800021,              // movz x1, #1 (MPIDR 1)
                0xd2802002,              // movz x2, #0x100 (entry)
                0xd2800003,              // movz x3, #0
                HVC,
                0xd2a82006,              // movz x6, #0x4100, lsl 16 (the flag, in RAM past the DTB)
                0xb94000c5,              // loop: ldr w5, [x6]
                0x35000065,              //       cbnz w5, done
                0xd503205f,              //       wfe
                0x17fffffd,              //       b loop
                SYSTEM_OFF_LO, SYSTEM_OFF_HI, HVC}; // done
        System.arraycopy(main, 0, code, 0, main.length);
        for (int i = main.length; i < 0x100 / 4; i++) {
            code[i] = 0x14000000;
        }
        int[] second = {
                0xd2a82006,              // movz x6, #0x4100, lsl 16
                0xd2986a08,              // movz x8, #50000
                0xf1000508,              // loop2: subs x8, x8, #1
                0x54ffffe1,              //        b.ne loop2
                0x52800027,              // movz w7, #1
                0xb90000c7,              // str w7, [x6]
                0xd503209f,              // sev
                0x14000000};             // b .
        System.arraycopy(second, 0, code, 0x100 / 4, second.length);
        for (VmClock clock : VmClock.values()) {
            try (ArmVm vm = vm(2, clock, code)) {
                assertInstanceOf(VmStop.PoweredOff.class, runToStop(vm), clock.toString());
                Arm64Cpu waiter = vm.vcpus().get(0).cpu();
                Arm64Cpu worker = vm.vcpus().get(1).cpu();
                assertTrue(worker.instructions() >= 100_000, clock + ": the worker did its count: " + worker.instructions());
                assertTrue(waiter.hintStops() > 0, clock + ": the waiter yielded at its WFE");
                assertTrue(waiter.instructions() < 2_000,
                        clock + ": the waiter did not spin out its 100k-instruction slices: " + waiter.instructions());
            }
        }
    }
}
