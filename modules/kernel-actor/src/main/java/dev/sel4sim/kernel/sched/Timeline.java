package dev.sel4sim.kernel.sched;

import java.util.PriorityQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Simulated time for one simulation, and the events scheduled on it (device timers, MCS
 * replenishments, delayed deliveries). Never the wall clock, except that {@link Mode#PACED} makes
 * simulated time follow the host clock for interactive runs. In {@link Mode#VIRTUAL} time jumps to
 * the next event as soon as every simulated core is idle: a discrete-event simulation, fast and
 * independent of host speed.
 */
public final class Timeline implements AutoCloseable {
    public enum Mode { PACED, VIRTUAL }

    /** A handle to cancel a scheduled event. */
    public interface Handle {
        void cancel();
    }

    private static final class Event implements Handle, Comparable<Event> {
        final long timeNs;
        final long seq;
        final Runnable action;
        volatile boolean cancelled;

        Event(long timeNs, long seq, Runnable action) {
            this.timeNs = timeNs;
            this.seq = seq;
            this.action = action;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }

        @Override
        public int compareTo(Event o) {
            return timeNs != o.timeNs ? Long.compare(timeNs, o.timeNs) : Long.compare(seq, o.seq);
        }
    }

    private final Mode mode;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final PriorityQueue<Event> events = new PriorityQueue<>();
    private volatile long hostStart;
    private volatile boolean started;
    private volatile BooleanSupplier idle = () -> true;
    private volatile long virtualNow;
    private long seq;
    private volatile boolean closed;
    private final Thread thread;
    private volatile Throwable lastError;

    public Timeline(Mode mode) {
        this.mode = mode;
        this.thread = Thread.ofPlatform().name("sim-timeline").daemon().unstarted(this::loop);
    }

    /**
     * Starts simulated time: before this, time stands at 0 and no event runs, so building a system
     * (which may take a while) does not eat into its first timer period. Idempotent.
     */
    public synchronized void start() {
        if (!started) {
            hostStart = System.nanoTime();
            started = true;
            thread.start();
        }
    }

    public boolean started() {
        return started;
    }

    public Mode mode() {
        return mode;
    }

    /** Current simulated time in nanoseconds since the simulation started. */
    public long nowNs() {
        if (mode == Mode.VIRTUAL) {
            return virtualNow;
        }
        return started ? System.nanoTime() - hostStart : 0;
    }

    /** Tells the timeline when the simulated cores have nothing left to run (VIRTUAL mode). */
    public void setIdleProbe(BooleanSupplier probe) {
        this.idle = probe;
    }

    /** Runs {@code action} on the timeline thread at simulated time {@code atNs}. */
    public Handle scheduleAt(long atNs, Runnable action) {
        lock.lock();
        try {
            Event e = new Event(Math.max(atNs, nowNs()), seq++, action);
            events.add(e);
            changed.signalAll();
            return e;
        } finally {
            lock.unlock();
        }
    }

    public Handle scheduleAfter(long delayNs, Runnable action) {
        return scheduleAt(nowNs() + delayNs, action);
    }

    /** The last exception an event action threw (events never stop the timeline). */
    public Throwable lastError() {
        return lastError;
    }

    private void loop() {
        while (!closed) {
            Event next;
            lock.lock();
            try {
                next = events.peek();
                if (next == null) {
                    changed.awaitNanos(50_000_000L);
                    continue;
                }
                if (next.cancelled) {
                    events.poll();
                    continue;
                }
                if (mode == Mode.PACED) {
                    long wait = next.timeNs - nowNs();
                    if (wait > 0) {
                        changed.awaitNanos(Math.min(wait, 50_000_000L));
                        continue;
                    }
                }
            } catch (InterruptedException ie) {
                return;
            } finally {
                lock.unlock();
            }
            if (mode == Mode.VIRTUAL && !settled()) {
                continue;
            }
            lock.lock();
            try {
                // An earlier event may have been added meanwhile.
                next = events.poll();
            } finally {
                lock.unlock();
            }
            if (next == null || next.cancelled) {
                continue;
            }
            if (mode == Mode.VIRTUAL && next.timeNs > virtualNow) {
                virtualNow = next.timeNs;
            }
            try {
                next.action.run();
            } catch (Throwable t) {
                lastError = t;
            }
        }
    }

    /** Waits briefly for the cores to go idle; true when they are idle twice in a row. */
    private boolean settled() {
        for (int i = 0; i < 200 && !closed; i++) {
            if (idle.getAsBoolean()) {
                LockSupport.parkNanos(10_000);
                if (idle.getAsBoolean()) {
                    return true;
                }
            }
            LockSupport.parkNanos(i < 20 ? 10_000 : 200_000);
        }
        return false;
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
