package dev.sel4sim.kernel.sched;

import dev.sel4sim.kernel.objects.Tcb;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.ActorCell;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.dispatch.Dispatcher;
import org.apache.pekko.dispatch.Dispatchers;
import org.apache.pekko.dispatch.ExecutorServiceFactory;
import org.apache.pekko.dispatch.ExecutorServiceFactoryProvider;
import org.apache.pekko.dispatch.Mailbox;
import org.apache.pekko.dispatch.MessageDispatcher;
import org.apache.pekko.dispatch.MessageDispatcherConfigurator;
import scala.concurrent.duration.Duration;
import scala.concurrent.duration.FiniteDuration;

/**
 * The simulated cores of one simulation, each a Pekko dispatcher backed by a {@link CoreExecutor}.
 * Actors pinned to a core are spawned with {@link #selector(int)}; {@link #register} tells the core
 * which TCB an actor runs, so it can schedule by that TCB's priority and budget.
 */
public final class Cores implements AutoCloseable {
    private final List<CoreExecutor> executors = new ArrayList<>();
    private final List<String> ids = new ArrayList<>();
    private final Map<org.apache.pekko.actor.ActorRef, Tcb> threads = new ConcurrentHashMap<>();

    public Cores(ActorSystem<?> system, int count, Timeline timeline, String simulationId) {
        Dispatchers dispatchers = Adapter.toClassic(system).dispatchers();
        for (int i = 0; i < count; i++) {
            CoreExecutor ex = new CoreExecutor(i, timeline, this::ownerOf);
            String id = "sel4sim-" + simulationId + "-core-" + i;
            MessageDispatcherConfigurator cfg = new CoreConfigurator(dispatchers, id, ex);
            if (!dispatchers.registerConfigurator(id, cfg)) {
                throw new IllegalStateException("dispatcher " + id + " already registered");
            }
            executors.add(ex);
            ids.add(id);
        }
        timeline.setIdleProbe(this::allIdle);
    }

    public int count() {
        return executors.size();
    }

    /** The dispatcher selector that pins an actor to core {@code core}. */
    public DispatcherSelector selector(int core) {
        return DispatcherSelector.fromConfig(ids.get(core));
    }

    /** Associates an actor with the TCB it runs, for priority and budget decisions. */
    public void register(ActorRef<?> actor, Tcb tcb) {
        threads.put(Adapter.toClassic(actor), tcb);
    }

    public void unregister(ActorRef<?> actor) {
        threads.remove(Adapter.toClassic(actor));
    }

    /** True when no core has work queued or running. */
    public boolean allIdle() {
        for (CoreExecutor e : executors) {
            if (!e.idle()) {
                return false;
            }
        }
        return true;
    }

    /** Mailbox runs held back for lack of MCS budget, per core. */
    public int deferredCount(int core) {
        return executors.get(core).deferredCount();
    }

    public long tasksRun(int core) {
        return executors.get(core).tasksRun();
    }

    private Tcb ownerOf(Runnable task) {
        if (task instanceof Mailbox mb) {
            ActorCell cell = mb.actor();
            if (cell != null) {
                return threads.get(cell.self());
            }
        }
        return null;
    }

    /** Lifts MCS throttling so every actor can process its stop during shutdown. */
    public void release() {
        executors.forEach(CoreExecutor::release);
    }

    @Override
    public void close() {
        executors.forEach(CoreExecutor::shutdown);
    }

    private static final class CoreConfigurator extends MessageDispatcherConfigurator {
        private final Dispatcher dispatcher;

        CoreConfigurator(Dispatchers dispatchers, String id, CoreExecutor executor) {
            super(dispatchers.defaultDispatcherConfig(), dispatchers.prerequisites());
            ExecutorServiceFactoryProvider provider = new ExecutorServiceFactoryProvider() {
                @Override
                public ExecutorServiceFactory createExecutorServiceFactory(String name, java.util.concurrent.ThreadFactory tf) {
                    return () -> executor;
                }
            };
            // Throughput 1: one message per mailbox run, so priorities are re-evaluated every message.
            this.dispatcher = new Dispatcher(this, id, 1, Duration.Zero(), provider,
                    FiniteDuration.apply(1, java.util.concurrent.TimeUnit.SECONDS));
        }

        @Override
        public MessageDispatcher dispatcher() {
            return dispatcher;
        }
    }
}
