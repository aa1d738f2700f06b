package dev.sel4sim.servers.net.vswitch;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.LongSupplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * A learning Ethernet switch as Pekko Streams: each port is a {@link Flow} whose input is the
 * frames the attached device sends and whose output is the frames the switch delivers to it.
 * Every output port has a bounded buffer; when its device does not drain it, further frames for
 * that port are dropped and counted ({@link DropReason#QUEUE_FULL}), so one slow port never
 * stalls the others. Ageing uses the simulated clock passed in.
 */
public final class VirtualSwitch {
    private final SwitchCore core;
    private final LongSupplier nowNs;
    private final AtomicReferenceArray<BoundedSourceQueue<ByteString>> outputs;

    public VirtualSwitch(SwitchConfig config, LongSupplier simulatedNowNs) {
        this.core = new SwitchCore(config);
        this.nowNs = simulatedNowNs;
        this.outputs = new AtomicReferenceArray<>(config.ports());
    }

    /** The forwarding core, for counters and the learned table. */
    public SwitchCore core() {
        return core;
    }

    public PortCounters counters(int port) {
        return core.counters(port);
    }

    /**
     * Port {@code port} as a flow to join with a device's flow of frames. A port takes one device
     * at a time: materializing it while attached fails that materialization. When either side
     * ends, the port is detached and its learned MACs are forgotten.
     */
    public Flow<ByteString, ByteString, NotUsed> port(int port) {
        core.counters(port); // checks the port number now rather than at materialization
        Sink<ByteString, ?> in = Sink.foreach(frame -> ingress(port, frame));
        Source<ByteString, NotUsed> out = Source.<ByteString>queue(core.config().outputBuffer())
                .watchTermination(Keep.both())
                .mapMaterializedValue(qd -> {
                    BoundedSourceQueue<ByteString> q = qd.first();
                    if (!outputs.compareAndSet(port, null, q)) {
                        q.fail(new IllegalStateException("switch port " + port + " already has a device attached"));
                        throw new IllegalStateException("switch port " + port + " already has a device attached");
                    }
                    qd.second().whenComplete((done, err) -> detach(port, q));
                    return NotUsed.getInstance();
                })
                .map(frame -> {
                    core.countTx(port);
                    return frame;
                });
        return Flow.fromSinkAndSourceCoupled(in, out);
    }

    private void ingress(int inPort, ByteString frame) {
        for (int p : core.forward(inPort, frame, nowNs.getAsLong())) {
            BoundedSourceQueue<ByteString> q = outputs.get(p);
            // A port with no device attached is a cable left unplugged: the frame just goes nowhere.
            if (q != null && q.offer(frame) == QueueOfferResult.dropped()) {
                core.countQueueFull(p);
            }
        }
    }

    private void detach(int port, BoundedSourceQueue<ByteString> q) {
        if (outputs.compareAndSet(port, q, null)) {
            core.forgetPort(port);
        }
    }
}
