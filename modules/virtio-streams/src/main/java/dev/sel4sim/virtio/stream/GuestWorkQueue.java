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
 * idle VMM (all VCPUs in WFI) can schedule a drain, for instance by messaging itself. The promise that makes that
 * safe: whenever {@link #hasPending()} turns true after a drain has returned, {@code wakeUp} is called for it. So a
 * VMM may skip {@link #runPending()} while nothing is pending and still never miss work.
 */
public final class GuestWorkQueue implements Executor {
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    // True from the wake-up for a burst until the drain that empties the queue: later submissions need not wake.
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

    /**
     * @return whether tasks are waiting, or a wake-up was given that no drain has answered yet (a submitter may set
     *         the flag after a drain already took its task: only a drain clears it, so it must not be skipped)
     */
    public boolean hasPending() {
        return signalled.get() || !tasks.isEmpty();
    }

    /**
     * Runs the waiting tasks, and those they submit, on the calling thread (the VM's). Device tasks contain their
     * own failures; should one throw anyway, the rest still run and the first failure is rethrown at the end.
     *
     * @return how many tasks ran
     */
    public int runPending() {
        int ran = 0;
        RuntimeException first = null;
        while (true) {
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
            // Cleared only once the queue is seen empty: a task submitted during the drain set the flag (and woke
            // the VM, harmlessly), and clearing it before the drain would leave it set once the drain took that task,
            // so that the next submission, finding it set, would wake nobody. One that slips in between the last
            // poll and this clear found the flag set and woke nobody: the re-check below takes it.
            signalled.set(false);
            if (tasks.isEmpty()) {
                break;
            }
            signalled.set(true);
        }
        if (first != null) {
            throw first;
        }
        return ran;
    }
}
