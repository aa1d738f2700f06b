package dev.sel4sim.vmm.x86.vm;

import dev.sel4sim.vmm.run.GuestVm;
import dev.sel4sim.vmm.run.StepResult;
import dev.sel4sim.vmm.run.VmClock;
import dev.sel4sim.vmm.run.VmStop;
import dev.sel4sim.vmm.x86.cpu.X86Reg;
import dev.sel4sim.vmm.x86.dev.TimedDevice;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An x86 VM under its VMM actor: the {@link X86Machine} run one quantum per step. In a paced VM a
 * halted guest makes the VM idle until its next timer (host time); in a deterministic one the
 * machine skips the idle time itself and only a guest with no timer and no input is idle.
 */
public final class X86Vm implements GuestVm {
    private static final long IF = 1 << 9;

    private final X86VmSpec spec;
    private final X86Machine machine;
    private final List<String> notes = Collections.synchronizedList(new ArrayList<>());
    private final long hostStart = System.nanoTime();
    private long slices;
    private long idles;

    X86Vm(X86VmSpec spec, X86Machine machine) {
        this.spec = spec;
        this.machine = machine;
        if (spec.clock() == VmClock.PACED) {
            machine.pacedBy(() -> System.nanoTime() - hostStart);
        }
    }

    public X86VmSpec spec() {
        return spec;
    }

    /** The PC under this VM (its devices, for tests and the system's wiring). */
    public X86Machine machine() {
        return machine;
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public StepResult step() {
        long before = machine.cpu().instructions();
        X86RunResult r = machine.run(spec.quantum());
        slices++;
        return switch (r.outcome()) {
            case BUDGET -> new StepResult.Ran(0, r.instructions() - before);
            case IDLE -> {
                idles++;
                yield new StepResult.Idle(deadline());
            }
            case HALTED -> {
                if ((machine.cpu().reg(X86Reg.EFLAGS) & IF) == 0) {
                    yield new StepResult.Stopped(new VmStop.Stopped("the guest halted with interrupts off (eip 0x"
                            + Long.toHexString(machine.cpu().reg(X86Reg.EIP)) + ")"));
                }
                // Deterministic and nothing will ever fire: only console input can wake it.
                idles++;
                yield new StepResult.Idle(Long.MAX_VALUE);
            }
            case FAILED -> new StepResult.Stopped(new VmStop.Faulted(0, r.message()));
            case RESET -> new StepResult.Stopped(new VmStop.Reset());
        };
    }

    private long deadline() {
        long d = machine.nextDeadlineNs();
        return d == TimedDevice.NO_DEADLINE ? Long.MAX_VALUE : d;
    }

    @Override
    public List<dev.sel4sim.vmm.run.VmDevice> devices() {
        return machine.virtio().stream().map(a -> new dev.sel4sim.vmm.run.VmDevice(a.spec().name(), a.device())).toList();
    }

    @Override
    public long now() {
        return machine.nowNs();
    }

    @Override
    public int consoleInputSpace() {
        return machine.uart().receiveSpace();
    }

    @Override
    public void consoleInput(byte b) {
        machine.serialInput(b & 0xff);
    }

    @Override
    public void wakeForInterrupts() {
        // The UART raised its line on receive; the next step delivers it to a halted guest.
    }

    @Override
    public void onDeviceWork(Runnable listener) {
        machine.onDeviceWork(listener);
    }

    @Override
    public boolean deviceWorkPending() {
        return machine.deviceWorkPending();
    }

    @Override
    public List<dev.sel4sim.vmm.crossvm.CrossVmConnector> crossVm() {
        return machine.crossVm();
    }

    @Override
    public void note(String line) {
        notes.add(line);
    }

    @Override
    public List<String> notes() {
        List<String> all = new ArrayList<>(machine.deviceNotes());
        synchronized (notes) {
            all.addAll(notes);
        }
        return List.copyOf(all);
    }

    @Override
    public String stats() {
        return "x86 VCPU: " + machine.cpu().instructions() + " instructions in " + slices + " slices, " + idles + " idle waits";
    }

    @Override
    public void close() {
        machine.close();
    }
}
