package dev.sel4sim.kernel.actor;

import dev.sel4sim.kernel.Kernel;
import dev.sel4sim.kernel.ipc.KernelEvent;
import dev.sel4sim.kernel.objects.Tcb;
import dev.sel4sim.kernel.sched.Cores;
import dev.sel4sim.kernel.sched.Timeline;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * A running simulation: its kernel, simulated time and cores, and the thread actors it started.
 * It implements {@link FaultInjector} for its own threads.
 */
public final class Simulation implements FaultInjector, AutoCloseable {
    private record Running(Tcb tcb, ActorRef<KernelEvent> ref) {}

    private final ActorSystem<?> system;
    private final Kernel kernel;
    private final Timeline timeline;
    private final Cores cores;
    private final Map<String, Running> threads = new LinkedHashMap<>();
    private final CompletableFuture<String> escalated = new CompletableFuture<>();
    private final String id;
    private final java.util.concurrent.atomic.AtomicInteger starting = new java.util.concurrent.atomic.AtomicInteger();

    public Simulation(ActorSystem<?> system, Kernel kernel, int coreCount, String id) {
        this.system = system;
        this.kernel = kernel;
        this.timeline = kernel.timeline();
        this.id = id;
        this.cores = new Cores(system, coreCount, timeline, id);
        // Core threads must outlive the actors pinned to them, which stop during system shutdown.
        system.getWhenTerminated().thenRun(cores::close);
        // Virtual time must not run ahead while threads are still being created (their actors
        // start on Pekko's own dispatcher, where the cores cannot see them).
        timeline.setIdleProbe(() -> starting.get() == 0 && cores.allIdle());
        timeline.start();
    }

    public Kernel kernel() {
        return kernel;
    }

    public Timeline timeline() {
        return timeline;
    }

    public Cores cores() {
        return cores;
    }

    /** Completes with a description when a component with ESCALATE supervision failed. */
    public CompletableFuture<String> escalation() {
        return escalated;
    }

    /**
     * Starts a thread: its actor runs on the TCB's core, scheduled by the TCB's priority.
     * The component receives {@link KernelEvent.Started} first.
     */
    public synchronized ActorRef<KernelEvent> start(Tcb tcb, Component component, Supervision policy) {
        if (tcb.core() < 0 || tcb.core() >= cores.count()) {
            throw new IllegalArgumentException("thread " + tcb.name() + " is pinned to core " + tcb.core() + " but the simulation has " + cores.count());
        }
        if (threads.containsKey(tcb.name())) {
            throw new IllegalArgumentException("thread " + tcb.name() + " already started");
        }
        starting.incrementAndGet();
        var behavior = ThreadActor.create(kernel, tcb, component, policy,
                (name, cause) -> escalated.complete(name + " failed and escalated: " + cause), starting::decrementAndGet);
        ActorRef<KernelEvent> ref = system.systemActorOf(behavior, safeName(id + "-" + tcb.name()), cores.selector(tcb.core()));
        cores.register(ref, tcb);
        threads.put(tcb.name(), new Running(tcb, ref));
        return ref;
    }

    /** Sends a component its own ({@link KernelEvent.Local}) message, e.g. from a test or the CLI. */
    public void tell(String component, KernelEvent.Local msg) {
        running(component).ref.tell(msg);
    }

    public Tcb tcb(String component) {
        return running(component).tcb;
    }

    @Override
    public void kill(String component) {
        running(component).ref.tell(new Control.Kill("fault injection"));
    }

    @Override
    public void crash(String component) {
        running(component).ref.tell(new Control.Crash("fault injection"));
    }

    @Override
    public void delay(String component, long ns) {
        kernel.injectDelay(running(component).tcb, ns);
    }

    @Override
    public void drop(String component, int count) {
        kernel.injectDrop(running(component).tcb, count);
    }

    private synchronized Running running(String component) {
        Running r = threads.get(component);
        if (r == null) {
            throw new IllegalArgumentException("no component named '" + component + "'; running: " + threads.keySet());
        }
        return r;
    }

    private static String safeName(String n) {
        return n.replaceAll("[^A-Za-z0-9_.\\-]", "_");
    }

    @Override
    /** Stops this simulation's threads and its timeline; the cores stop with the actor system. */
    public void close() {
        synchronized (this) {
            threads.values().forEach(r -> system.classicSystem().stop(org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(r.ref)));
        }
        cores.release();
        timeline.close();
    }
}
