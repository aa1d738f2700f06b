package dev.sel4sim.bench;

import dev.sel4sim.servers.net.vswitch.PortCounters;
import dev.sel4sim.servers.net.vswitch.SwitchConfig;
import dev.sel4sim.servers.net.vswitch.VirtualSwitch;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The anchor of the virtio-net benchmark: the same switch stages without guests. A source of
 * {@code n} copies of a frame goes into port 0 of a fresh two-port {@link VirtualSwitch} and a
 * counting sink drains port 1, each port cabled with {@code join} as the system cables a VM.
 */
final class SwitchAnchor {
    /**
     * @param delivered frames the sink on port 1 counted
     * @param dropped   frames port 1's full output buffer dropped
     * @param seconds   from materializing the source until every frame was delivered or dropped
     */
    record Result(long offered, long delivered, long dropped, double seconds) {
        double framesPerSecond() {
            return delivered / seconds;
        }
    }

    private SwitchAnchor() {
    }

    static Result run(ByteString frame, long n, Materializer mat) {
        VirtualSwitch sw = new VirtualSwitch(SwitchConfig.open(2), System::nanoTime);
        AtomicLong counted = new AtomicLong();
        // The receiving side first: a frame for a port with nothing attached would just vanish.
        UniqueKillSwitch receiver = sw.port(1).viaMat(KillSwitches.single(), Keep.right())
                .joinMat(Flow.fromSinkAndSource(Sink.<ByteString>foreach(f -> counted.incrementAndGet()), Source.<ByteString>never()),
                        Keep.left())
                .run(mat);
        long start = System.nanoTime();
        UniqueKillSwitch sender = sw.port(0).viaMat(KillSwitches.single(), Keep.right())
                .joinMat(Flow.fromSinkAndSource(Sink.<ByteString>ignore(), Source.repeat(frame).take(n)), Keep.left())
                .run(mat);
        long deadline = start + TimeUnit.SECONDS.toNanos(120);
        try {
            while (true) {
                long now = System.nanoTime();
                PortCounters out = sw.counters(1);
                if (counted.get() + out.queueFull() >= n) {
                    return new Result(n, counted.get(), out.queueFull(), (now - start) / 1e9);
                }
                if (now > deadline) {
                    throw new IllegalStateException("switch anchor: " + counted.get() + " of " + n + " frames after 120 s");
                }
                LockSupport.parkNanos(200_000);
            }
        } finally {
            sender.shutdown();
            receiver.shutdown();
        }
    }
}
