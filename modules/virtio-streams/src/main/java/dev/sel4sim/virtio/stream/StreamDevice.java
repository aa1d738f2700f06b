package dev.sel4sim.virtio.stream;

import dev.sel4sim.virtio.device.DeviceContext;
import dev.sel4sim.virtio.device.VirtioDevice;
import dev.sel4sim.virtio.queue.ChainIo;
import dev.sel4sim.virtio.queue.DescriptorChain;
import dev.sel4sim.virtio.queue.SplitVirtqueue;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * A device with one receive queue (0) fed by a stream and one transmit queue (1) drained into a
 * stream: what virtio-console and virtio-net share. Subclasses say how host elements fill receive
 * buffers and what a transmit buffer becomes; the queue notifications, the stream ports and their
 * wake-ups, and the batching rule (one used-ring update and one interrupt decision per drain) live here.
 */
public abstract class StreamDevice implements VirtioDevice {
    /** Queue index of the receive queue (host to guest). */
    public static final int RECEIVEQ = 0;
    /** Queue index of the transmit queue (guest to host). */
    public static final int TRANSMITQ = 1;

    protected final Executor vm;
    protected final InboundPort input;
    protected final OutboundPort output;
    private final int outputBuffer;
    protected DeviceContext context;

    /**
     * @param vm           runs tasks on the VM's thread between VCPU slices (see {@code dev.sel4sim.virtio})
     * @param name         for the ports' messages
     * @param outputBuffer elements the output stream may run ahead of its consumer
     */
    protected StreamDevice(Executor vm, String name, int outputBuffer) {
        this.vm = Objects.requireNonNull(vm, "vm");
        this.input = new InboundPort(name + " input");
        this.output = new OutboundPort(name + " output");
        this.outputBuffer = outputBuffer;
    }

    /** @return what the guest sends, one element per transmit buffer; materialise once */
    public Source<ByteString, NotUsed> guestOutput() {
        return Source.fromGraph(new GuestOutputSource(vm, output, outputBuffer));
    }

    /** @return what the guest is to receive; pulled only while the guest has receive buffers; materialise once */
    public Sink<ByteString, NotUsed> guestInput() {
        return Sink.fromGraph(new GuestInputSink(vm, input));
    }

    /** @return elements to the guest in, elements from the guest out */
    public Flow<ByteString, ByteString, NotUsed> flow() {
        return Flow.fromSinkAndSource(guestInput(), guestOutput());
    }

    @Override
    public int queueCount() {
        return 2;
    }

    @Override
    public void attach(DeviceContext ctx) {
        this.context = ctx;
        input.onData(() -> ctx.run(this::fillReceive));
        output.onDemand(() -> ctx.run(this::drainTransmit));
    }

    @Override
    public void activate() {
        fillReceive();
        drainTransmit();
    }

    @Override
    public void queueNotify(int index) {
        if (index == RECEIVEQ) {
            fillReceive();
        } else if (index == TRANSMITQ) {
            drainTransmit();
        }
    }

    /**
     * Puts waiting host input into as many receive chains as it fills (one interrupt for the batch),
     * then asks the input stream for as much as the guest has buffers for.
     */
    private void fillReceive() {
        Optional<SplitVirtqueue> queue = context.queue(RECEIVEQ);
        if (queue.isEmpty()) {
            return;
        }
        SplitVirtqueue q = queue.get();
        if (fill(q)) {
            context.usedBuffers(RECEIVEQ);
        }
        input.requestElements(q.available());
    }

    /** Fills receive chains of {@code q} from {@link #input}; returns whether any chain was used. */
    protected abstract boolean fill(SplitVirtqueue q);

    /** What the guest's transmit buffer {@code data} becomes on the stream, or null to drop it. */
    protected abstract ByteString fromGuest(byte[] data);

    private void drainTransmit() {
        Optional<SplitVirtqueue> queue = context.queue(TRANSMITQ);
        if (queue.isEmpty()) {
            return;
        }
        SplitVirtqueue q = queue.get();
        boolean used = false;
        try {
            while (output.wantsElement()) {
                Optional<DescriptorChain> chain = q.pop();
                if (chain.isEmpty()) {
                    break;
                }
                byte[] data = ChainIo.gather(context.memory(), chain.get());
                q.pushUsed(chain.get().head(), 0);
                used = true;
                ByteString element = fromGuest(data);
                if (element != null) {
                    output.emit(element);
                }
            }
        } finally {
            // Even when a malformed chain ends the drain, what was taken before it goes out.
            output.flush();
        }
        if (used) {
            context.usedBuffers(TRANSMITQ);
        }
    }
}
