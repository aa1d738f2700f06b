package dev.sel4sim.kernel.objects;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A notification: a word of pending badges OR-ed together while nobody waits, or a FIFO of waiting
 * threads (seL4's Idle, Waiting, Active states), optionally bound to one TCB.
 */
public final class Notification extends KObject {
    private final Deque<Tcb> waiters = new ArrayDeque<>();
    private long word;
    private boolean active;
    private Tcb boundTcb;

    public Notification(String name, long paddr, int sizeBits) {
        super(name, paddr, sizeBits);
    }

    public Deque<Tcb> waiters() {
        return waiters;
    }

    public boolean active() {
        return active;
    }

    public long word() {
        return word;
    }

    /** Records a signal while nobody waits: badges accumulate by bitwise OR. */
    public void accumulate(long badge) {
        word = active ? word | badge : badge;
        active = true;
    }

    /** Takes the pending word and returns to Idle. */
    public long take() {
        long w = word;
        word = 0;
        active = false;
        return w;
    }

    public Tcb boundTcb() {
        return boundTcb;
    }

    public void setBoundTcb(Tcb t) {
        boundTcb = t;
    }

    @Override
    public ObjectType type() {
        return ObjectType.NOTIFICATION;
    }
}
