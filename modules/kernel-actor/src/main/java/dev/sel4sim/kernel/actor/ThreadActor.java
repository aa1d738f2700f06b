package dev.sel4sim.kernel.actor;

import dev.sel4sim.kernel.Kernel;
import dev.sel4sim.kernel.Syscalls;
import dev.sel4sim.kernel.ipc.KernelEvent;
import dev.sel4sim.kernel.objects.Tcb;
import java.util.function.BiConsumer;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.BehaviorInterceptor;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.Signal;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.TypedActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The actor that runs one seL4 thread: connects the TCB to the component's behaviour, applies the
 * component's supervision policy and the fault-injection commands, and tells the kernel when the
 * thread starts, restarts or dies.
 */
public final class ThreadActor {
    private ThreadActor() {
    }

    /**
     * @param onEscalate called with the thread's name and cause when an ESCALATE component fails
     */
    public static Behavior<KernelEvent> create(Kernel kernel, Tcb tcb, Component component, Supervision policy,
                                               BiConsumer<String, Throwable> onEscalate) {
        return create(kernel, tcb, component, policy, onEscalate, () -> { });
    }

    /**
     * @param onFirstStart called once the thread has handled its first {@link KernelEvent.Started}
     */
    public static Behavior<KernelEvent> create(Kernel kernel, Tcb tcb, Component component, Supervision policy,
                                               BiConsumer<String, Throwable> onEscalate, Runnable onFirstStart) {
        int[] incarnation = {0};
        // Shared by every incarnation's interceptor: the first start is reported exactly once.
        java.util.concurrent.atomic.AtomicBoolean firstStart = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable once = () -> {
            if (firstStart.compareAndSet(false, true)) {
                onFirstStart.run();
            }
        };
        Behavior<KernelEvent> body = Behaviors.setup(ctx -> {
            var self = ctx.getSelf();
            kernel.attach(tcb, self::tell);
            Behavior<KernelEvent> b = component.create(new Syscalls(kernel, tcb), ctx);
            self.tell(new KernelEvent.Started(incarnation[0]++));
            return b;
        });
        Behavior<KernelEvent> watched = Behaviors.intercept(() -> new Interceptor(kernel, tcb, policy, onEscalate, once), body);
        return switch (policy) {
            case RESTART -> Behaviors.supervise(watched).onFailure(SupervisorStrategy.restart());
            case STOP, ESCALATE -> Behaviors.supervise(watched).onFailure(SupervisorStrategy.stop());
        };
    }

    private static final class Interceptor extends BehaviorInterceptor<KernelEvent, KernelEvent> {
        private final Kernel kernel;
        private final Tcb tcb;
        private final Supervision policy;
        private final BiConsumer<String, Throwable> onEscalate;
        private final Runnable onFirstStart;
        private Throwable failure;

        private void firstStartDone() {
            onFirstStart.run();
        }

        Interceptor(Kernel kernel, Tcb tcb, Supervision policy, BiConsumer<String, Throwable> onEscalate, Runnable onFirstStart) {
            super(KernelEvent.class);
            this.kernel = kernel;
            this.tcb = tcb;
            this.policy = policy;
            this.onEscalate = onEscalate;
            this.onFirstStart = onFirstStart;
        }

        @Override
        public Behavior<KernelEvent> aroundReceive(TypedActorContext<KernelEvent> ctx, KernelEvent msg,
                                                   ReceiveTarget<KernelEvent> target) {
            switch (msg) {
                case Control.Kill k -> {
                    failure = null;
                    kernel.detach(tcb, "killed: " + k.reason());
                    return Behaviors.stopped();
                }
                case Control.Crash c -> {
                    failure = new InjectedFailure(c.reason());
                    throw (InjectedFailure) failure;
                }
                default -> {
                    try {
                        return target.apply(ctx, msg);
                    } catch (RuntimeException e) {
                        failure = e;
                        throw e;
                    } finally {
                        if (msg instanceof KernelEvent.Started s && s.incarnation() == 0) {
                            firstStartDone();
                        }
                    }
                }
            }
        }

        @Override
        public Behavior<KernelEvent> aroundSignal(TypedActorContext<KernelEvent> ctx, Signal signal,
                                                  SignalTarget<KernelEvent> target) {
            if (signal instanceof PreRestart) {
                kernel.detach(tcb, "restarting after " + failure);
            } else if (signal == PostStop.instance()) {
                // A thread stopped before its first start no longer holds the simulation back.
                firstStartDone();
                kernel.detach(tcb, failure == null ? "stopped" : "failed: " + failure);
                if (failure != null && policy == Supervision.ESCALATE) {
                    onEscalate.accept(tcb.name(), failure);
                }
            }
            return target.apply(ctx, signal);
        }
    }
}
