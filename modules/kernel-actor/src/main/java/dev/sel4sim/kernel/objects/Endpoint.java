package dev.sel4sim.kernel.objects;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A synchronous IPC endpoint: a FIFO queue of blocked senders or of blocked receivers, never both,
 * as seL4's endpoint state machine (Idle, Send, Recv).
 */
public final class Endpoint extends KObject {
    public enum State { IDLE, SEND, RECV }

    private final Deque<Tcb> queue = new ArrayDeque<>();
    private State state = State.IDLE;

    public Endpoint(String name, long paddr, int sizeBits) {
        super(name, paddr, sizeBits);
    }

    public State state() {
        return state;
    }

    public Deque<Tcb> queue() {
        return queue;
    }

    public void enqueue(Tcb t, State as) {
        queue.addLast(t);
        state = as;
    }

    public Tcb dequeue() {
        Tcb t = queue.pollFirst();
        if (queue.isEmpty()) {
            state = State.IDLE;
        }
        return t;
    }

    public void remove(Tcb t) {
        queue.remove(t);
        if (queue.isEmpty()) {
            state = State.IDLE;
        }
    }

    @Override
    public ObjectType type() {
        return ObjectType.ENDPOINT;
    }
}
