package dev.sel4sim.virtio.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.apache.pekko.util.ByteString;

/**
 * The device end of a stream that carries data out of the guest. Lives on the VM's thread: the device calls
 * {@link #wantsElement()}, {@link #emit} for each chain it takes and {@link #flush()} when its drain is done; the
 * materialised {@link GuestOutputSource} reaches it only through tasks run on that thread. The device takes a chain
 * from the guest only when the stream has granted credit for it, so unread output stays in the guest's queue.
 */
public final class OutboundPort {
    private final String name;
    private Runnable onDemand = () -> { };
    private Link link;
    private long credit;
    // Emitted in the current drain, handed to the stream in one go by flush(): one hop per batch, not per element.
    private List<ByteString> batch = new ArrayList<>();

    /** A materialised stage: thread-safe callbacks into it. */
    static final class Link {
        final Consumer<List<ByteString>> deliver;
        final Consumer<Throwable> fail;

        Link(Consumer<List<ByteString>> deliver, Consumer<Throwable> fail) {
            this.deliver = deliver;
            this.fail = fail;
        }
    }

    /** @param name for errors: what this stream is */
    public OutboundPort(String name) {
        this.name = name;
    }

    /** Sets what the device does when the stream grants more credit (normally: look at its queue). */
    public void onDemand(Runnable action) {
        this.onDemand = action;
    }

    /** @return whether a consumer is connected and has credit for another element */
    public boolean wantsElement() {
        return link != null && credit > 0;
    }

    /** @return elements the stream may still be given */
    public long credit() {
        return link == null ? 0 : credit;
    }

    /** Takes one element for the stream; only when {@link #wantsElement()}. It leaves at the next {@link #flush()}. */
    public void emit(ByteString element) {
        if (!wantsElement()) {
            throw new IllegalStateException(name + ": emit without credit");
        }
        credit--;
        batch.add(element);
    }

    /** Hands the elements emitted since the last flush to the stream. */
    public void flush() {
        if (batch.isEmpty() || link == null) {
            return;
        }
        List<ByteString> out = batch;
        batch = new ArrayList<>();
        link.deliver.accept(out);
    }

    void connect(Link l) {
        if (link != null) {
            l.fail.accept(new IllegalStateException(name + " already has a consumer; materialise it once"));
            return;
        }
        link = l;
        credit = 0;
    }

    void grant(Link l, long n) {
        if (l == link && n > 0) {
            credit += n;
            onDemand.run();
        }
    }

    void disconnect(Link l) {
        if (l == link) {
            link = null;
            credit = 0;
        }
    }
}
