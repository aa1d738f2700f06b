package dev.sel4sim.system.console;

import dev.sel4sim.vmm.actor.ConsoleDriver;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * A VM's emulated UART as a stream of bytes, for a serial server: what the guest writes leaves as
 * {@code ByteString} chunks (a line, or what was written when the VMM next polls), keystrokes that
 * arrive are typed into the UART between slices.
 *
 * <p>A UART cannot make its guest wait, so when the far side is slow the chunks wait here, in order,
 * and nothing is dropped: the cost of a slow terminal is memory, bounded by what the guest prints.
 */
public final class UartLink implements ConsoleDriver {
    private static final int CHUNK = 256;

    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private final ConcurrentLinkedQueue<ByteString> waiting = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<ByteString> keys = new ConcurrentLinkedQueue<>();
    private volatile BoundedSourceQueue<ByteString> out;

    @Override
    public void output(int b) {
        synchronized (pending) {
            pending.write(b);
            if (b == '\n' || pending.size() >= CHUNK) {
                flush();
            }
        }
    }

    @Override
    public byte[] input() {
        synchronized (pending) {
            flush();
        }
        ByteString k = keys.poll();
        if (k == null) {
            return null;
        }
        for (ByteString more = keys.poll(); more != null; more = keys.poll()) {
            k = k.concat(more);
        }
        return k.toArray();
    }

    private void flush() {
        if (pending.size() > 0) {
            waiting.add(ByteString.fromArray(pending.toByteArray()));
            pending.reset();
        }
        BoundedSourceQueue<ByteString> q = out;
        if (q == null) {
            return;
        }
        for (ByteString c = waiting.peek(); c != null; c = waiting.peek()) {
            QueueOfferResult r = q.offer(c);
            if (r == QueueOfferResult.dropped()) {
                return; // full: the rest waits for the next poll
            }
            waiting.poll();
        }
    }

    /** The UART's bytes: keystrokes in, guest output out. Materialize once. */
    public Flow<ByteString, ByteString, NotUsed> flow() {
        Source<ByteString, NotUsed> output = Source.<ByteString>queue(64).mapMaterializedValue(q -> {
            out = q;
            return NotUsed.getInstance();
        });
        return Flow.fromSinkAndSourceMat(Sink.<ByteString>foreach(keys::add), output, Keep.none());
    }
}
