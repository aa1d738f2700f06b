package dev.sel4sim.virtio.stream;

import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Device work handed from stream threads to the VM's own thread. Any thread may {@link #execute} a task; the
 * VMM calls {@link #runPending()} on its thread between VCPU slices (never while a VCPU of the VM runs), so the
 * tasks touch guest memory and device registers exactly as MMIO handlers do. Tasks run in submission order.
 *
 * <p>{@code wakeUp} is called, on the submitting thread, when the queue goes from empty to non-empty, so an
 * idle VMM (all VCPUs in WFI) can schedule a drain, for instance by messaging itself.
 */
public final class GuestWorkQueue implements Executor {
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean signalled = new AtomicBoolean();
    private final Runnable wakeUp;

    public GuestWorkQueue(Runnable wakeUp) {
        this.wakeUp = Objects.requireNonNull(wakeUp, "wakeUp");
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(Objects.requireNonNull(task, "task"));
        if (signalled.compareAndSet(false, true)) {
            wakeUp.run();
        }
    }

    /** @return whether tasks are waiting */
    public boolean hasPending() {
        return !tasks.isEmpty();
    }

    /**
     * Runs the waiting tasks, and those they submit, on the calling thread (the VM's). Device tasks contain their
     * own failures; should one throw anyway, the rest still run and the first failure is rethrown at the end.
     *
     * @return how many tasks ran
     */
    public int runPending() {
        signalled.set(false);
        int ran = 0;
        RuntimeException first = null;
        for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
            try {
                task.run();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                }
            }
            ran++;
        }
        if (first != null) {
            throw first;
        }
        return ran;
    }
}
