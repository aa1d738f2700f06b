package dev.sel4sim.vmm.actor;

import dev.sel4sim.vmm.run.GuestVm;
import dev.sel4sim.vmm.run.StepResult;
import dev.sel4sim.vmm.run.VmStop;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The VMM of one VM: owns the VM (RAM, VCPUs, devices) and runs it in batches of slices,
 * yielding to its mailbox between batches so that console input, shutdown and other
 * messages are handled while the guest runs. A failure inside the VM stops this actor
 * and reports {@link VmEvent.Stopped}; other VMs and components are not touched.
 *
 * <p>Spawn it on a blocking-capable dispatcher: a batch holds its thread for a few milliseconds.
 */
public final class VmmActor extends AbstractBehavior<VmmCommand> {
    private static final long BATCH_NS = 20_000_000L;
    private static final long SHORT_IDLE_NS = 15_000_000L;

    private final GuestVm vm;
    private final ConsoleDriver console;
    private final ActorRef<VmEvent> listener;
    private final TimerScheduler<VmmCommand> timers;
    private final ArrayDeque<Byte> input = new ArrayDeque<>();
    // The thread in a short idle wait, if any: the device-work listener (another thread) unparks it.
    private volatile Thread idleThread;
    private boolean stepping;
    private boolean stopped;
    private long instructions;
    private int notesReported;

    public static Behavior<VmmCommand> create(Supplier<? extends GuestVm> vm, ConsoleDriver console, ActorRef<VmEvent> listener) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new VmmActor(ctx, timers, vm.get(), console, listener)));
    }

    private VmmActor(ActorContext<VmmCommand> ctx, TimerScheduler<VmmCommand> timers, GuestVm vm, ConsoleDriver console,
                     ActorRef<VmEvent> listener) {
        super(ctx);
        this.vm = vm;
        this.console = console;
        this.listener = listener;
        this.timers = timers;
        // Virtio streams hand work to the VM from their own threads; an idle VMM must wake for it at once,
        // whether it waits in its mailbox (the message) or parked in a short idle wait (the unpark).
        ActorRef<VmmCommand> self = ctx.getSelf();
        vm.onDeviceWork(() -> {
            Thread parked = idleThread;
            if (parked != null) {
                LockSupport.unpark(parked);
            }
            self.tell(new VmmCommand.Wake());
        });
        scheduleStep();
    }

    @Override
    public Receive<VmmCommand> createReceive() {
        return newReceiveBuilder()
                .onMessage(VmmCommand.Step.class, m -> onStep())
                .onMessage(VmmCommand.Wake.class, m -> {
                    scheduleStep();
                    return this;
                })
                .onMessage(VmmCommand.Input.class, m -> {
                    for (byte b : m.bytes()) {
                        input.addLast(b);
                    }
                    feedInput();
                    scheduleStep();
                    return this;
                })
                .onMessage(VmmCommand.Shutdown.class, m -> finish(new VmStop.Stopped(m.why())))
                .onSignal(org.apache.pekko.actor.typed.PostStop.class, s -> {
                    vm.close();
                    return this;
                })
                .build();
    }

    private void scheduleStep() {
        if (!stepping && !stopped) {
            stepping = true;
            timers.cancel("wake");
            getContext().getSelf().tell(new VmmCommand.Step());
        }
    }

    private Behavior<VmmCommand> onStep() {
        stepping = false;
        if (stopped) {
            return this;
        }
        long start = System.nanoTime();
        while (System.nanoTime() - start < BATCH_NS) {
            pollConsole();
            StepResult r;
            try {
                r = vm.step();
            } catch (RuntimeException e) {
                getContext().getLog().error("VM {} failed", vm.name(), e);
                return finish(new VmStop.Faulted(-1, "VMM error: " + e));
            }
            switch (r) {
                case StepResult.Ran ran -> instructions += ran.instructions();
                case StepResult.Stopped s -> {
                    return finish(s.why());
                }
                case StepResult.Idle idle -> {
                    pollConsole();
                    if ((!input.isEmpty() && vm.consoleInputSpace() > 0) || vm.deviceWorkPending()) {
                        continue;
                    }
                    reportNotes();
                    if (idle.untilNs() != Long.MAX_VALUE) {
                        long wait = Math.max(0, idle.untilNs() - vm.now());
                        if (wait < SHORT_IDLE_NS) {
                            // Pekko's timers tick every 10 ms: a guest's short sleep would come out late. So the
                            // thread parks, and device work ends the park early.
                            idleWait(wait);
                            if (System.nanoTime() - start < BATCH_NS) {
                                continue;
                            }
                            scheduleStep();
                            return this;
                        }
                        timers.startSingleTimer("wake", new VmmCommand.Wake(), Duration.ofNanos(Math.min(wait, 100_000_000L)));
                    }
                    return this;
                }
            }
        }
        reportNotes();
        scheduleStep();
        return this;
    }

    /** Parks for up to {@code ns}, or until device work is waiting for the VM's thread. */
    private void idleWait(long ns) {
        long deadline = System.nanoTime() + ns;
        idleThread = Thread.currentThread();
        try {
            // Work queued before idleThread was set is seen by the check; work queued after it unparks.
            while (!vm.deviceWorkPending()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                LockSupport.parkNanos(this, left);
            }
        } finally {
            idleThread = null;
        }
    }

    /** The VM's new notes (an unhandled SMC, a broken device, a VM fault) go to the log as they happen. */
    private void reportNotes() {
        java.util.List<String> notes = vm.notes();
        while (notesReported < notes.size()) {
            getContext().getLog().warn("VM {}: {}", vm.name(), notes.get(notesReported++));
        }
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
        while (!input.isEmpty() && vm.consoleInputSpace() > 0) {
            vm.consoleInput(input.removeFirst());
            fed = true;
        }
        if (fed) {
            vm.wakeForInterrupts();
        }
    }

    private Behavior<VmmCommand> finish(VmStop why) {
        if (!stopped) {
            stopped = true;
            listener.tell(new VmEvent.Stopped(vm.name(), why, instructions, vm.now(), vm.stats(), java.util.List.copyOf(vm.notes())));
        }
        return Behaviors.stopped();
    }
}
