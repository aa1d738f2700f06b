package dev.sel4sim.bench;

import org.apache.pekko.stream.javadsl.SinkQueueWithCancel;
import org.apache.pekko.util.ByteString;

import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The serial side of a console: a host thread that pulls a byte stream element by element and
 * counts every byte, optionally no faster than a given rate (a slow terminal). Backpressure does
 * the rest: while it does not pull, nothing upstream moves.
 */
final class ConsoleReader {
    /** Counts since the last {@link #reset}. */
    record Counts(long bytes, long marks, long others, long elements, long firstNs, long lastNs) {
        double seconds() {
            return elements == 0 ? 0 : (lastNs - firstNs) / 1e9;
        }
    }

    private final SinkQueueWithCancel<ByteString> queue;
    private final byte mark;
    private final Thread thread;
    private long bytesPerSecond;
    private long bytes;
    private long marks;
    private long others;
    private long elements;
    private long firstNs;
    private long lastNs;
    private volatile String failure;

    /**
     * @param queue the stream's end
     * @param mark  the byte the writer sends; any other byte is counted apart
     */
    ConsoleReader(SinkQueueWithCancel<ByteString> queue, byte mark, String name) {
        this(queue, mark, name, 0);
    }

    /** A reader that reads at most {@code bytesPerSecond} from its first byte on (0: as fast as it can). */
    ConsoleReader(SinkQueueWithCancel<ByteString> queue, byte mark, String name, long bytesPerSecond) {
        this.queue = queue;
        this.bytesPerSecond = bytesPerSecond;
        this.mark = mark;
        this.thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts a new phase: counts from zero, reading at most {@code bytesPerSecond} (0: as fast as it can). */
    synchronized void reset(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
        bytes = marks = others = elements = firstNs = lastNs = 0;
    }

    synchronized Counts counts() {
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
        return new Counts(bytes, marks, others, elements, firstNs, lastNs);
    }

    /** Waits until {@code n} bytes have come since the last reset; false on timeout. */
    boolean awaitBytes(long n, long timeoutNs) {
        long deadline = System.nanoTime() + timeoutNs;
        while (counts().bytes() < n) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            LockSupport.parkNanos(200_000);
        }
        return true;
    }

    void close() {
        queue.cancel();
    }

    private void loop() {
        try {
            while (true) {
                Optional<ByteString> next = queue.pull().toCompletableFuture().get();
                if (next.isEmpty()) {
                    return;
                }
                long target = count(next.get());
                if (target > 0) {
                    // A slow terminal: the next read waits until the rate allows it.
                    for (long wait; (wait = target - System.nanoTime()) > 0; ) {
                        LockSupport.parkNanos(wait);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            failure = "console reader failed: " + e;
        }
    }

    /** Counts one element; returns when the next read may happen under the rate, or 0. */
    private synchronized long count(ByteString element) {
        long now = System.nanoTime();
        if (elements == 0) {
            firstNs = now;
        }
        ByteBuffer b = element.asByteBuffer();
        int n = b.remaining();
        int m = 0;
        for (int i = b.position(); i < b.limit(); i++) {
            if (b.get(i) == mark) {
                m++;
            }
        }
        bytes += n;
        marks += m;
        others += n - m;
        elements++;
        lastNs = now;
        return bytesPerSecond > 0 ? firstNs + bytes * TimeUnit.SECONDS.toNanos(1) / bytesPerSecond : 0;
    }
}
