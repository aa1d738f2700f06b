package dev.sel4sim.kernel.sched;

import dev.sel4sim.kernel.objects.SchedContext;
import dev.sel4sim.kernel.objects.Tcb;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * One simulated core: a single host thread that runs, one at a time, the mailboxes of the actors
 * pinned to it, highest seL4 priority first and first-come-first-served within a priority. With a
 * dispatcher throughput of one message, a busy actor goes to the back of its priority level after
 * each message: round robin within a priority. A thread whose MCS budget is used up is held back
 * until its replenishment time on the {@link Timeline}.
 */
final class CoreExecutor extends AbstractExecutorService {
    private record Entry(int priority, long seq, Runnable task) implements Comparable<Entry> {
        @Override
        public int compareTo(Entry o) {
            return priority != o.priority ? Integer.compare(o.priority, priority) : Long.compare(seq, o.seq);
        }
    }

    private final int index;
    private final Timeline timeline;
    private final Function<Runnable, Tcb> owner;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final PriorityQueue<Entry> queue = new PriorityQueue<>();
    private final Thread worker;
    private long seq;
    private volatile boolean running;
    private volatile boolean shutdown;
    private volatile int deferred;
    private volatile boolean throttling = true;
    private final java.util.Set<Runnable> held = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private long tasksRun;

    CoreExecutor(int index, Timeline timeline, Function<Runnable, Tcb> owner) {
        this.index = index;
        this.timeline = timeline;
        this.owner = owner;
        this.worker = Thread.ofPlatform().name("sim-core-" + index).daemon().unstarted(this::loop);
        worker.start();
    }

    int index() {
        return index;
    }

    /** True when nothing is queued or running on this core (held-back MCS work does not count). */
    boolean idle() {
        lock.lock();
        try {
            return queue.isEmpty() && !running;
        } finally {
            lock.unlock();
        }
    }

    long tasksRun() {
        return tasksRun;
    }

    @Override
    public void execute(Runnable task) {
        Tcb t = owner.apply(task);
        int prio = t == null ? 0 : t.priority();
        lock.lock();
        try {
            queue.add(new Entry(prio, seq++, task));
            work.signal();
        } finally {
            lock.unlock();
        }
    }

    private void loop() {
        while (!shutdown) {
            Entry e;
            lock.lock();
            try {
                while (queue.isEmpty() && !shutdown) {
                    work.awaitUninterruptibly();
                }
                if (shutdown) {
                    return;
                }
                e = queue.poll();
                running = true;
            } finally {
                lock.unlock();
            }
            try {
                Tcb t = owner.apply(e.task);
                SchedContext sc = t == null ? null : t.schedContext();
                long now = timeline.nowNs();
                if (throttling && sc != null && !sc.hasBudget(now)) {
                    deferred++;
                    Runnable task = e.task;
                    held.add(task);
                    timeline.scheduleAt(sc.nextReplenishNs(now), () -> {
                        if (held.remove(task)) {
                            execute(task);
                        }
                    });
                } else {
                    tasksRun++;
                    e.task.run();
                }
            } catch (Throwable ex) {
                // Pekko's mailbox handles actor failures itself; anything else must not kill the core.
                System.err.println("sim-core-" + index + ": task failed: " + ex);
            } finally {
                lock.lock();
                try {
                    running = false;
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    /** Stops MCS throttling and runs everything held back (the simulation is shutting down). */
    void release() {
        throttling = false;
        for (Runnable r : List.copyOf(held)) {
            if (held.remove(r)) {
                execute(r);
            }
        }
    }

    /** How many times a mailbox run was held back for lack of MCS budget. */
    int deferredCount() {
        return deferred;
    }

    @Override
    public void shutdown() {
        shutdown = true;
        lock.lock();
        try {
            work.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown();
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown && !worker.isAlive();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        worker.join(unit.toMillis(timeout));
        return !worker.isAlive();
    }
}
