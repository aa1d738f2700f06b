package dev.sel4sim.virtio.console;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;

import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

import dev.sel4sim.virtio.device.DeviceContext;
import dev.sel4sim.virtio.device.VirtioDevice;
import dev.sel4sim.virtio.queue.ChainIo;
import dev.sel4sim.virtio.queue.DescriptorChain;
import dev.sel4sim.virtio.queue.SplitVirtqueue;
import dev.sel4sim.virtio.stream.GuestInputSink;
import dev.sel4sim.virtio.stream.GuestOutputSource;
import dev.sel4sim.virtio.stream.InboundPort;
import dev.sel4sim.virtio.stream.OutboundPort;

/**
 * virtio-console (device ID 3) with a single port: receiveq0 and transmitq0, no multiport. What the guest
 * writes comes out of {@link #guestOutput()}; what flows into {@link #guestInput()} is written into the guest's
 * receive buffers. Device methods run on the VM's thread; the streams reach the device through {@code vm}.
 */
public final class VirtioConsole implements VirtioDevice {
    /** The virtio device ID of a console. */
    public static final int DEVICE_ID = 3;
    /** Queue index of receiveq0 (host to guest). */
    public static final int RECEIVEQ = 0;
    /** Queue index of transmitq0 (guest to host). */
    public static final int TRANSMITQ = 1;
    /** VIRTIO_CONSOLE_F_SIZE: cols and rows in the configuration space are valid. */
    public static final int F_SIZE = 0;

    private final Executor vm;
    private final ConsoleConfig config;
    private final InboundPort input = new InboundPort("virtio-console input");
    private final OutboundPort output = new OutboundPort("virtio-console output");
    private DeviceContext context;

    // Counters: plain state, for snapshots and tests.
    private long bytesToGuest;
    private long bytesFromGuest;

    /**
     * @param vm     runs tasks on the VM's thread between VCPU slices (see {@code dev.sel4sim.virtio})
     * @param config console size and stream buffering
     */
    public VirtioConsole(Executor vm, ConsoleConfig config) {
        this.vm = Objects.requireNonNull(vm, "vm");
        this.config = Objects.requireNonNull(config, "config");
    }

    /** @return a console with {@link ConsoleConfig#DEFAULT} */
    public VirtioConsole(Executor vm) {
        this(vm, ConsoleConfig.DEFAULT);
    }

    /** @return what the guest writes to the console, one element per transmit buffer; materialise once */
    public Source<ByteString, NotUsed> guestOutput() {
        return Source.fromGraph(new GuestOutputSource(vm, output, config.outputBuffer()));
    }

    /** @return bytes for the guest to read; pulled only while the guest has receive buffers; materialise once */
    public Sink<ByteString, NotUsed> guestInput() {
        return Sink.fromGraph(new GuestInputSink(vm, input));
    }

    /** @return input to the guest in, guest output out */
    public Flow<ByteString, ByteString, NotUsed> flow() {
        return Flow.fromSinkAndSource(guestInput(), guestOutput());
    }

    /** @return bytes written into the guest's receive buffers so far */
    public long bytesToGuest() {
        return bytesToGuest;
    }

    /** @return bytes taken from the guest's transmit buffers so far */
    public long bytesFromGuest() {
        return bytesFromGuest;
    }

    @Override
    public int deviceId() {
        return DEVICE_ID;
    }

    @Override
    public long deviceFeatures() {
        return 1L << F_SIZE;
    }

    @Override
    public int queueCount() {
        return 2;
    }

    @Override
    public byte[] configSpace() {
        ByteBuffer b = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) config.cols()).putShort((short) config.rows()).putInt(1).putInt(0);
        return b.array();
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

    @Override
    public void reset() {
        // Nothing of the queues lives here; pending host input is kept for the next driver.
    }

    /** Writes the waiting bytes into as many receive buffers as they fill; one interrupt for the batch. */
    private void fillReceive() {
        Optional<SplitVirtqueue> queue = context.queue(RECEIVEQ);
        if (queue.isEmpty()) {
            return;
        }
        SplitVirtqueue q = queue.get();
        boolean used = false;
        // A byte stream: one buffer may take the end of one element and the start of the next.
        ByteBuffer data = input.pendingCount() > 0 ? input.pendingBytes().asByteBuffer() : null;
        while (data != null && data.hasRemaining()) {
            Optional<DescriptorChain> chain = q.pop();
            if (chain.isEmpty()) {
                break;
            }
            int n = ChainIo.scatter(context.memory(), chain.get(), data);
            q.pushUsed(chain.get().head(), n);
            input.consume(n);
            bytesToGuest += n;
            used = true;
        }
        if (used) {
            context.usedBuffers(RECEIVEQ);
        }
        input.requestElements(q.available());
    }

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
                bytesFromGuest += data.length;
                if (data.length > 0) {
                    output.emit(ByteString.fromArrayUnsafe(data));
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
