package dev.sel4sim.kernel;

import dev.sel4sim.kernel.actor.Component;
import dev.sel4sim.kernel.actor.Simulation;
import dev.sel4sim.kernel.actor.Supervision;
import dev.sel4sim.kernel.boot.CSpaceView;
import dev.sel4sim.kernel.boot.Loader;
import dev.sel4sim.kernel.ipc.KernelEvent;
import dev.sel4sim.kernel.objects.Untyped;
import dev.sel4sim.kernel.sched.Timeline;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * A small simulation for message-level tests: threads whose events go to a probe and whose system
 * calls are scripted by {@link Do} messages, run on the thread's own actor as a component would.
 */
final class Harness implements AutoCloseable {
    private static final AtomicInteger IDS = new AtomicInteger();

    /** Runs a system call inside the thread's actor and reports its immediate result. */
    record Do(Function<Syscalls, SysResult> call, ActorRef<SysResult> replyTo) implements KernelEvent.Local {}

    final Kernel kernel;
    final Simulation sim;
    final Loader loader;
    final Untyped untyped;

    Harness(ActorTestKit kit, int cores) {
        Timeline timeline = new Timeline(Timeline.Mode.VIRTUAL);
        kernel = new Kernel(Arch.AARCH64, false, 40, 256, timeline);
        untyped = kernel.addUntyped("ut0", 0x4000_0000L, 24, false);
        sim = new Simulation(kit.system(), kernel, cores, "t" + IDS.incrementAndGet());
        loader = new Loader(kernel, List.of(untyped), 8);
    }

    CSpaceView thread(String name, int priority, int core) {
        return loader.thread(name, 6, priority, core);
    }

    /** A component that forwards every kernel event to {@code events} and obeys {@link Do}. */
    static Component probed(ActorRef<KernelEvent> events) {
        return (sys, ctx) -> Behaviors.receiveMessage(msg -> {
            if (msg instanceof Do d) {
                d.replyTo().tell(d.call().apply(sys));
            } else {
                events.tell(msg);
            }
            return Behaviors.same();
        });
    }

    ActorRef<KernelEvent> start(CSpaceView t, ActorRef<KernelEvent> events, Supervision policy) {
        return sim.start(t.tcb(), probed(events), policy);
    }

    /** Runs a syscall on the thread's actor and waits for its immediate result. */
    static SysResult run(ActorTestKit kit, ActorRef<KernelEvent> thread, Function<Syscalls, SysResult> call) {
        TestProbe<SysResult> p = kit.createTestProbe();
        thread.tell(new Do(call, p.getRef()));
        return p.receiveMessage(Duration.ofSeconds(5));
    }

    @Override
    public void close() {
        sim.close();
    }
}
