package dev.sel4sim.vmm.actor;

import dev.sel4sim.vmm.arm.vm.ArmVm;
import dev.sel4sim.vmm.arm.vm.SliceOutcome;
import dev.sel4sim.vmm.arm.vm.VmStop;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The VMM of one VM (the 1-1 model of camkes-vm and libvmm): owns the VM's RAM and devices,
 * spawns one {@link VcpuActor} per VCPU, and grants them slices one at a time (the VM's
 * scheduler decides which). A slice's outcome comes back as a message; hypercalls (PSCI, SMC)
 * are answered here and the VCPU resumes with its next grant. Console input and shutdown are
 * handled between slices, while no VCPU runs. A failure inside the VM stops this actor and
 * reports {@link VmEvent.Stopped}; other VMs and components are not touched.
 */
public final class VmmActor extends AbstractBehavior<VmmCommand> {
    private final ArmVm vm;
    private final ConsoleDriver console;
    private final ActorRef<VmEvent> listener;
    private final TimerScheduler<VmmCommand> timers;
    private final List<ActorRef<VcpuActor.Command>> vcpus = new ArrayList<>();
    private final ArrayDeque<Byte> input = new ArrayDeque<>();
    private boolean sliceOutstanding;
    private boolean stepScheduled;
    private boolean stopped;
    private VmStop stopWhenIdle;
    private long instructions;

    /**
     * @param vm         builds the VM (on the VMM's thread)
     * @param console    sees the first console's output and may give input; may be null
     * @param listener   told when the VM stops
     */
    public static Behavior<VmmCommand> create(Supplier<ArmVm> vm, ConsoleDriver console, ActorRef<VmEvent> listener) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new VmmActor(ctx, timers, vm.get(), console, listener)));
    }

    private VmmActor(ActorContext<VmmCommand> ctx, TimerScheduler<VmmCommand> timers, ArmVm vm, ConsoleDriver console,
                     ActorRef<VmEvent> listener) {
        super(ctx);
        this.vm = vm;
        this.console = console;
        this.listener = listener;
        this.timers = timers;
        for (int i = 0; i < vm.vcpus().size(); i++) {
            // A slice holds its thread for up to a few milliseconds.
            vcpus.add(ctx.spawn(VcpuActor.create(vm, i, ctx.getSelf()), "vcpu" + i, DispatcherSelector.blocking()));
        }
        scheduleStep();
    }

    @Override
    public Receive<VmmCommand> createReceive() {
        return newReceiveBuilder()
                .onMessage(VmmCommand.Step.class, m -> {
                    stepScheduled = false;
                    return grant();
                })
                .onMessage(VmmCommand.Wake.class, m -> {
                    scheduleStep();
                    return this;
                })
                .onMessage(VmmCommand.SliceDone.class, this::onSliceDone)
                .onMessage(VmmCommand.Input.class, m -> {
                    for (byte b : m.bytes()) {
                        input.addLast(b);
                    }
                    if (!sliceOutstanding) {
                        feedInput();
                        scheduleStep();
                    }
                    return this;
                })
                .onMessage(VmmCommand.Shutdown.class, m -> {
                    if (sliceOutstanding) {
                        // The VCPU's thread is inside guest code: end its slice, stop when it reports.
                        stopWhenIdle = new VmStop.Stopped(m.why());
                        vm.interrupt();
                        return this;
                    }
                    return finish(new VmStop.Stopped(m.why()));
                })
                .onSignal(PostStop.class, s -> {
                    vm.close();
                    return this;
                })
                .build();
    }

    private void scheduleStep() {
        if (!stepScheduled && !sliceOutstanding && !stopped) {
            stepScheduled = true;
            timers.cancel("wake");
            getContext().getSelf().tell(new VmmCommand.Step());
        }
    }

    /** Grants the next slice, or waits for the next timer or input when every VCPU sleeps. */
    private Behavior<VmmCommand> grant() {
        if (stopped || sliceOutstanding) {
            return this;
        }
        pollConsole();
        ArmVm.Next next;
        try {
            next = vm.next();
        } catch (RuntimeException e) {
            getContext().getLog().error("VM {} failed", vm.spec().name(), e);
            return finish(new VmStop.Faulted(-1, "VMM error: " + e));
        }
        switch (next) {
            case ArmVm.Next.Over o -> {
                return finish(o.why());
            }
            case ArmVm.Next.Idle idle -> {
                if (!input.isEmpty() && vm.uart().receiveSpace() > 0) {
                    scheduleStep();
                } else if (idle.untilNs() != Long.MAX_VALUE) {
                    long wait = Math.max(0, idle.untilNs() - vm.now());
                    timers.startSingleTimer("wake", new VmmCommand.Wake(), Duration.ofNanos(Math.min(wait, 100_000_000L)));
                }
                return this;
            }
            case ArmVm.Next.Run run -> {
                sliceOutstanding = true;
                vcpus.get(run.vcpu()).tell(new VcpuActor.RunSlice(run.budget()));
                return this;
            }
        }
    }

    private Behavior<VmmCommand> onSliceDone(VmmCommand.SliceDone m) {
        sliceOutstanding = false;
        SliceOutcome out = m.outcome();
        instructions += out.instructions();
        if (stopWhenIdle != null) {
            return finish(stopWhenIdle);
        }
        VmStop stop;
        try {
            stop = vm.complete(out);
        } catch (RuntimeException e) {
            getContext().getLog().error("VM {} failed", vm.spec().name(), e);
            stop = new VmStop.Faulted(out.vcpu(), "VMM error: " + e);
        }
        if (stop != null) {
            return finish(stop);
        }
        return grant();
    }

    private void pollConsole() {
        if (console != null) {
            byte[] in = console.input();
            if (in != null) {
                for (byte b : in) {
                    input.addLast(b);
                }
            }
        }
        feedInput();
    }

    private void feedInput() {
        boolean fed = false;
        while (!input.isEmpty() && vm.uart().receiveSpace() > 0) {
            vm.uart().receive(input.removeFirst());
            fed = true;
        }
        if (fed) {
            vm.wakeForInterrupts();
        }
    }

    private Behavior<VmmCommand> finish(VmStop why) {
        if (!stopped) {
            stopped = true;
            listener.tell(new VmEvent.Stopped(vm.spec().name(), why, instructions, vm.now(), vm.stats(), List.copyOf(vm.notes())));
        }
        return Behaviors.stopped();
    }
}
