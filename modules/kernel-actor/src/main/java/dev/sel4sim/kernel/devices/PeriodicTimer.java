package dev.sel4sim.kernel.devices;

import dev.sel4sim.kernel.Kernel;
import dev.sel4sim.kernel.sched.Timeline;

/** A hardware timer that raises its interrupt line every period of simulated time. */
public final class PeriodicTimer implements AutoCloseable {
    private final Kernel kernel;
    private final int irq;
    private final long periodNs;
    private volatile boolean running;
    private volatile Timeline.Handle next;
    private long fired;

    public PeriodicTimer(Kernel kernel, int irq, long periodNs) {
        if (periodNs <= 0) {
            throw new IllegalArgumentException("timer period must be positive");
        }
        this.kernel = kernel;
        this.irq = irq;
        this.periodNs = periodNs;
    }

    public void start() {
        running = true;
        schedule(kernel.timeline().nowNs() + periodNs);
    }

    private void schedule(long at) {
        next = kernel.timeline().scheduleAt(at, () -> {
            if (!running) {
                return;
            }
            fired++;
            kernel.raiseIrq(irq);
            schedule(at + periodNs);
        });
    }

    /** Interrupts raised so far. */
    public long fired() {
        return fired;
    }

    @Override
    public void close() {
        running = false;
        Timeline.Handle h = next;
        if (h != null) {
            h.cancel();
        }
    }
}
