package dev.sel4sim.kernel;

import dev.sel4sim.kernel.ipc.KernelEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Deliveries a kernel operation decided on, sent once the kernel lock is released. Telling an
 * actor wakes its core; doing that under the lock made the woken partner block on the lock at once
 * (two extra context switches per IPC hop, measured in BENCHMARKS.md). One system call usually makes
 * one delivery, held in two fields so the common path allocates nothing.
 */
final class Outbox {
    private Consumer<KernelEvent> firstInbox;
    private KernelEvent firstEvent;
    private List<Object> more;

    void add(Consumer<KernelEvent> inbox, KernelEvent ev) {
        if (firstInbox == null) {
            firstInbox = inbox;
            firstEvent = ev;
            return;
        }
        if (more == null) {
            more = new ArrayList<>(4);
        }
        more.add(inbox);
        more.add(ev);
    }

    /** Moves everything into {@code to}, keeping the order. Called under the kernel lock. */
    void moveTo(Outbox to) {
        if (firstInbox == null) {
            return;
        }
        to.add(firstInbox, firstEvent);
        if (more != null) {
            for (int i = 0; i < more.size(); i += 2) {
                to.add(castInbox(more.get(i)), (KernelEvent) more.get(i + 1));
            }
        }
        clear();
    }

    /** Sends in the order the kernel decided. Called without the kernel lock. */
    void send() {
        if (firstInbox == null) {
            return;
        }
        Consumer<KernelEvent> i = firstInbox;
        KernelEvent e = firstEvent;
        List<Object> rest = more;
        clear();
        i.accept(e);
        if (rest != null) {
            for (int n = 0; n < rest.size(); n += 2) {
                castInbox(rest.get(n)).accept((KernelEvent) rest.get(n + 1));
            }
        }
    }

    private void clear() {
        firstInbox = null;
        firstEvent = null;
        more = null;
    }

    @SuppressWarnings("unchecked")
    private static Consumer<KernelEvent> castInbox(Object o) {
        return (Consumer<KernelEvent>) o;
    }
}
