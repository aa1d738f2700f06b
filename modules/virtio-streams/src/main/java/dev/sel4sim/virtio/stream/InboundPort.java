package dev.sel4sim.virtio.stream;

import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

import org.apache.pekko.util.ByteString;

/**
 * The device end of a stream that carries data into the guest. Lives on the VM's thread. The device says how many
 * elements it could place now ({@link #requestElements(int)}: normally the receive buffers the guest has posted
 * beyond those the pending elements will fill), so the upstream is pulled only as fast as the guest takes data, yet
 * a whole batch can arrive between two drains and go into the guest at once. Pending plus requested elements never
 * exceed the device's last request.
 */
public final class InboundPort {
    private final String name;
    private Runnable onData = () -> { };
    private Link link;
    // Device state: elements accepted from the stream, not yet (fully) in the guest, oldest first.
    private final ArrayDeque<ByteString> pending = new ArrayDeque<>();
    private int requested; // asked of the current producer, not arrived yet

    /** A materialised stage: thread-safe callbacks into it, and the hand-off of what it pushed. */
    static final class Link {
        final IntConsumer demand;
        final Consumer<Throwable> fail;
        // Filled on the stream's thread, emptied on the VM's: one drain task per batch, not one per element.
        final ConcurrentLinkedQueue<ByteString> arrivals = new ConcurrentLinkedQueue<>();
        final AtomicBoolean deliveryScheduled = new AtomicBoolean();

        Link(IntConsumer demand, Consumer<Throwable> fail) {
            this.demand = demand;
            this.fail = fail;
        }
    }

    /** @param name for errors: what this stream is */
    public InboundPort(String name) {
        this.name = name;
    }

    /** Sets what the device does when elements arrive or a producer connects (normally: fill its queue). */
    public void onData(Runnable action) {
        this.onData = action;
    }

    /** @return the oldest element (or its undelivered rest) waiting for guest buffers, or null */
    public ByteString pending() {
        return pending.peekFirst();
    }

    /** @return every waiting byte, oldest first, as one string (for byte streams such as a console) */
    public ByteString pendingBytes() {
        ByteString all = ByteString.emptyByteString();
        for (ByteString b : pending) {
            all = all.concat(b);
        }
        return all;
    }

    /** @return how many elements wait for guest buffers */
    public int pendingCount() {
        return pending.size();
    }

    /** @return elements asked of the producer that have not arrived yet */
    public int requested() {
        return requested;
    }

    /** The device delivered the first {@code n} waiting bytes (they may span elements). */
    public void consume(int n) {
        if (n < 0) {
            throw new IllegalArgumentException(name + ": cannot consume " + n + " bytes");
        }
        int left = n;
        while (left > 0) {
            ByteString head = pending.peekFirst();
            if (head == null) {
                throw new IllegalArgumentException(name + ": cannot consume " + n + " bytes, " + (n - left) + " were waiting");
            }
            pending.removeFirst();
            if (left < head.size()) {
                pending.addFirst(head.drop(left));
                left = 0;
            } else {
                left -= head.size();
            }
        }
    }

    /** The device discarded the oldest waiting element (a frame too large for the guest's buffer). */
    public void discard() {
        pending.pollFirst();
    }

    /**
     * Says how many more elements the device could place now; asks the producer for as many as that, less those
     * already asked for. Nothing is asked while elements wait: they already have the guest's buffers to fill first.
     */
    public void requestElements(int room) {
        if (link == null || !pending.isEmpty()) {
            return;
        }
        int more = room - requested;
        if (more > 0) {
            requested += more;
            link.demand.accept(more);
        }
    }

    /** Asks the producer for one more element, unless one is waiting or already asked for. */
    public void requestElement() {
        requestElements(1);
    }

    void connect(Link l) {
        if (link != null) {
            l.fail.accept(new IllegalStateException(name + " already has a producer; materialise it once"));
            return;
        }
        link = l;
        requested = 0;
        onData.run();
    }

    /** Runs on the VM's thread after {@code l}'s stage pushed elements into its hand-off. */
    void deliver(Link l) {
        // Cleared before the hand-off is read: an element added after this point schedules a new delivery.
        l.deliveryScheduled.set(false);
        boolean any = false;
        for (ByteString element = l.arrivals.poll(); element != null; element = l.arrivals.poll()) {
            // Accepted even from a stage that has since stopped: the element left the stream, so dropping it would lose it.
            if (l == link && requested > 0) {
                requested--;
            }
            if (!element.isEmpty()) {
                pending.addLast(element);
            }
            any = true;
        }
        if (any) {
            onData.run();
        }
    }

    void disconnect(Link l) {
        if (l == link) {
            link = null;
            requested = 0;
        }
    }
}
