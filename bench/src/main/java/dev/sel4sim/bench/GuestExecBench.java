package dev.sel4sim.bench;

import dev.sel4sim.vmm.actor.ConsoleDriver;
import dev.sel4sim.vmm.actor.VmEvent;
import dev.sel4sim.vmm.actor.VmmActor;
import dev.sel4sim.vmm.arm.vm.ArmVm;
import dev.sel4sim.vmm.arm.vm.ArmVmBuilder;
import dev.sel4sim.vmm.arm.vm.ArmVmLayout;
import dev.sel4sim.vmm.arm.vm.ArmVmSpec;
import dev.sel4sim.vmm.run.VmClock;
import dev.sel4sim.vmm.cpu.CpuHooks;
import dev.sel4sim.vmm.cpu.MmioHandler;
import dev.sel4sim.vmm.cpu.SysReg;
import dev.sel4sim.vmm.cpu.unicorn.UnicornArm64;
import dev.sel4sim.vmm.cpu.unicorn.UnicornLibrary;
import dev.sel4sim.vmm.mem.GuestRam;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Guest execution speed, each figure against its anchor in the same run:
 * <ul>
 * <li>a compute loop (16 adds, a subtract, a branch: 18 instructions a block) on bare Unicorn
 * without hooks, on Unicorn with the shim's hooks, and inside a VM run by its VMM actor;</li>
 * <li>MMIO exits: a loop storing to a device register, handled by a no-op callback on bare
 * Unicorn and by the VM's PL011 behind the VMM.</li>
 * </ul>
 * Usage: bench/guest.sh (prints the table).
 */
public final class GuestExecBench {
    private static final long BASE = 0x4000_0000L;
    private static final int ROUNDS = 5;

    private GuestExecBench() {
    }

    /** The loop program: {@code iterations} times the body, then PSCI SYSTEM_OFF by HVC. */
    static byte[] program(long iterations, boolean mmio) {
        ByteBuffer b = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xd2800001 | (int) ((iterations & 0xffff) << 5));          // movz x1, #lo
        b.putInt(0xf2a00001 | (int) (((iterations >> 16) & 0xffff) << 5));  // movk x1, #hi, lsl 16
        b.putInt(0xd2a12003);                                             // movz x3, #0x0900, lsl 16 (PL011)
        int loop = b.position();
        if (mmio) {
            b.putInt(0xb9000062);                                         // str w2, [x3]
        } else {
            for (int i = 0; i < 16; i++) {
                b.putInt(0x91000442);                                     // add x2, x2, #1
            }
        }
        b.putInt(0xf1000421);                                             // subs x1, x1, #1
        int off = (loop - b.position()) / 4;
        b.putInt(0x54000001 | ((off & 0x7ffff) << 5));                    // b.ne loop
        b.putInt(0xd2800100);                                             // movz x0, #8
        b.putInt(0xf2b08000);                                             // movk x0, #0x8400, lsl 16: SYSTEM_OFF
        int end = b.position();
        b.putInt(0xd4000002);                                             // hvc #0
        b.putInt(0x14000000);                                             // b .
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    static int hvcOffset(byte[] p) {
        return p.length - 8;
    }

    public static void main(String[] args) throws Exception {
        UnicornLibrary lib = UnicornLibrary.locate();
        long loopIterations = 200_000_000L;    // 3.6G instructions: about a second, so start-up costs do not count
        long mmioIterations = 1_000_000L;      // 1M device writes
        System.out.printf("guest compute loop, %d M instructions; MMIO loop, %d M stores to a device register; best of %d%n",
                loopIterations * 18 / 1_000_000, mmioIterations / 1_000_000, ROUNDS);
        double bare = best(() -> bare(lib, program(loopIterations, false), false));
        double shim = best(() -> shim(lib, program(loopIterations, false), false));
        double vm = best(() -> vmm(lib, program(loopIterations, false)));
        double loopInsns = loopIterations * 18.0;
        System.out.printf("compute  bare Unicorn, no hooks       %8.1f MIPS%n", loopInsns / bare / 1e6);
        System.out.printf("compute  Unicorn + sel4sim shim hooks %8.1f MIPS  (%.2fx of bare)%n", loopInsns / shim / 1e6, bare / shim);
        System.out.printf("compute  VCPU in a VM under VmmActor  %8.1f MIPS  (%.2fx of shim, %.2fx of bare)%n", loopInsns / vm / 1e6,
                shim / vm, bare / vm);
        double bareMmio = best(() -> bare(lib, program(mmioIterations, true), true));
        double vmMmio = best(() -> vmm(lib, program(mmioIterations, true)));
        System.out.printf("mmio     bare Unicorn callback        %8.0f ns per exit%n", bareMmio / mmioIterations * 1e9);
        System.out.printf("mmio     PL011 in a VM under VmmActor %8.0f ns per exit  (%.2fx of bare)%n", vmMmio / mmioIterations * 1e9,
                vmMmio / bareMmio);
        System.exit(0);
    }

    interface Run {
        double seconds() throws Exception;
    }

    static double best(Run r) throws Exception {
        double b = Double.MAX_VALUE;
        for (int i = 0; i < ROUNDS; i++) {
            b = Math.min(b, r.seconds());
        }
        return b;
    }

    static final CpuHooks STOP_ON_EXCEPTION_HOOKS = new CpuHooks() {
        @Override
        public void exception(int intno) {
        }

        @Override
        public boolean systemRegister(boolean read, int rt, SysReg reg) {
            return false;
        }
    };

    /** Bare Unicorn: no hooks at all; the run ends at the HVC's address. */
    static double bare(UnicornLibrary lib, byte[] program, boolean mmio) {
        try (GuestRam ram = new GuestRam(BASE, 2 << 20); UnicornArm64 cpu = UnicornArm64.openWithoutHooks(lib, UnicornArm64.Model.CORTEX_A53)) {
            ram.load(BASE, program);
            cpu.mapRam(BASE, ram.segment(), true);
            if (mmio) {
                cpu.mapMmio(0x0900_0000L, 0x1000, new MmioHandler() {
                    @Override
                    public long read(int vcpu, long offset, int size) {
                        return 0;
                    }

                    @Override
                    public void write(int vcpu, long offset, int size, long value) {
                    }
                });
            }
            cpu.setPstate(0x3c5);
            cpu.setPc(BASE);
            long t = System.nanoTime();
            cpu.runUntil(BASE + hvcOffset(program));
            return (System.nanoTime() - t) / 1e9;
        }
    }

    /** Unicorn with the shim's block and MRS/MSR hooks, in 200k-instruction slices as a VCPU runs. */
    static double shim(UnicornLibrary lib, byte[] program, boolean mmio) {
        boolean[] done = new boolean[1];
        UnicornArm64[] ref = new UnicornArm64[1];
        try (GuestRam ram = new GuestRam(BASE, 2 << 20);
             UnicornArm64 cpu = UnicornArm64.open(lib, 0, UnicornArm64.Model.CORTEX_A53, new CpuHooks() {
                 @Override
                 public void exception(int intno) {
                     done[0] = true;
                     ref[0].requestStop();
                 }

                 @Override
                 public boolean systemRegister(boolean read, int rt, SysReg reg) {
                     return false;
                 }
             })) {
            ref[0] = cpu;
            ram.load(BASE, program);
            cpu.mapRam(BASE, ram.segment(), true);
            cpu.setPstate(0x3c5);
            cpu.setPc(BASE);
            long t = System.nanoTime();
            while (!done[0]) {
                cpu.run(200_000);
            }
            return (System.nanoTime() - t) / 1e9;
        }
    }

    /** A one-VCPU VM booting the program as its firmware, run by a VmmActor until the guest powers off. */
    static double vmm(UnicornLibrary lib, byte[] program) throws Exception {
        Path fw = Files.createTempFile("sel4sim-bench", ".bin");
        Files.write(fw, program);
        ArmVmSpec spec = new ArmVmSpec("bench", BASE, 64L << 20, 1, "cortex-a53", 2, VmClock.DETERMINISTIC, 1, 200_000,
                Optional.empty(), Optional.empty(), "", Optional.of(fw), 0, ArmVmLayout.qemuVirt(), 62_500_000L);
        ArmVm vm = ArmVmBuilder.build(spec, lib, b -> { });
        CompletableFuture<VmEvent.Stopped> stopped = new CompletableFuture<>();
        long[] start = new long[1];
        Behavior<Void> root = Behaviors.setup(ctx -> {
            var listener = ctx.spawn(Behaviors.<VmEvent>receive((c, e) -> {
                if (e instanceof VmEvent.Stopped s) {
                    stopped.complete(s);
                }
                return Behaviors.same();
            }), "listener");
            start[0] = System.nanoTime();
            ctx.spawn(VmmActor.create(() -> vm, (ConsoleDriver) null, listener), "vmm",
                    org.apache.pekko.actor.typed.DispatcherSelector.blocking());
            return Behaviors.empty();
        });
        ActorSystem<Void> system = ActorSystem.create(root, "bench");
        try {
            stopped.get(120, TimeUnit.SECONDS);
            return (System.nanoTime() - start[0]) / 1e9;
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
            Files.deleteIfExists(fw);
        }
    }
}
