package dev.sel4sim.virtio.stream;

import java.util.function.Consumer;

import org.apache.pekko.util.ByteString;

/**
 * The device end of a stream that carries data into the guest. Lives on the VM's thread. The device asks for an
 * element ({@link #requestElement()}) only when the guest has posted buffers and the previous element is fully
 * delivered, so the upstream is pulled only as fast as the guest takes data, and at most one element waits here.
 */
public final class InboundPort {
    private final String name;
    private Runnable onData = () -> { };
    private Link link;
    private boolean requested;
    private ByteString pending; // accepted from the stream, not yet (fully) in the guest: device state

    /** A materialised stage: thread-safe callbacks into it. */
    static final class Link {
        final Runnable ready;
        final Consumer<Throwable> fail;

        Link(Runnable ready, Consumer<Throwable> fail) {
            this.ready = ready;
            this.fail = fail;
        }
    }

    /** @param name for errors: what this stream is */
    public InboundPort(String name) {
        this.name = name;
    }

    /** Sets what the device does when an element arrives or a producer connects (normally: fill its queue). */
    public void onData(Runnable action) {
        this.onData = action;
    }

    /** @return the element (or its undelivered rest) waiting for guest buffers, or null */
    public ByteString pending() {
        return pending;
    }

    /** The device delivered the first {@code n} bytes of the pending element. */
    public void consume(int n) {
        if (pending == null || n < 0 || n > pending.size()) {
            throw new IllegalArgumentException(name + ": cannot consume " + n + " of " + pending);
        }
        pending = n == pending.size() ? null : pending.drop(n);
    }

    /** The device discarded the pending element (a frame too large for the guest's buffer). */
    public void discard() {
        pending = null;
    }

    /** Asks the producer for one more element, unless one is pending or already asked for. */
    public void requestElement() {
        if (link != null && pending == null && !requested) {
            requested = true;
            link.ready.run();
        }
    }

    void connect(Link l) {
        if (link != null) {
            l.fail.accept(new IllegalStateException(name + " already has a producer; materialise it once"));
            return;
        }
        link = l;
        requested = false;
        onData.run();
    }

    void offer(Link l, ByteString element) {
        // Accepted even from a stage that has since stopped: the element left the stream, so dropping it would lose it.
        if (l == link) {
            requested = false;
        }
        if (!element.isEmpty()) {
            pending = pending == null ? element : pending.concat(element);
        }
        onData.run();
    }

    void disconnect(Link l) {
        if (l == link) {
            link = null;
            requested = false;
        }
    }
}
