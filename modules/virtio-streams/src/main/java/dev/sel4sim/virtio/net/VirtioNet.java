package dev.sel4sim.virtio.net;

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
import dev.sel4sim.virtio.device.FeatureBits;
import dev.sel4sim.virtio.device.VirtioDevice;
import dev.sel4sim.virtio.queue.ChainIo;
import dev.sel4sim.virtio.queue.DescriptorChain;
import dev.sel4sim.virtio.queue.SplitVirtqueue;
import dev.sel4sim.virtio.stream.GuestInputSink;
import dev.sel4sim.virtio.stream.GuestOutputSource;
import dev.sel4sim.virtio.stream.InboundPort;
import dev.sel4sim.virtio.stream.OutboundPort;

/**
 * virtio-net (device ID 1) with one queue pair and no offloads: features MAC and STATUS (plus VERSION_1 from a
 * modern transport). Frames are whole Ethernet frames without the virtio-net header: the device strips it on
 * transmit and writes it on receive (12 bytes, {@code num_buffers} = 1, when VERSION_1 was negotiated; 10 bytes
 * otherwise, as MRG_RXBUF is never offered). Each received frame goes into one receive chain; a frame that does
 * not fit the guest's next chain is dropped and counted, and the chain is kept for the next frame.
 */
public final class VirtioNet implements VirtioDevice {
    /** The virtio device ID of a network card. */
    public static final int DEVICE_ID = 1;
    /** Queue index of receiveq1. */
    public static final int RECEIVEQ = 0;
    /** Queue index of transmitq1. */
    public static final int TRANSMITQ = 1;
    /** VIRTIO_NET_F_MAC: the configuration space holds the MAC address. */
    public static final int F_MAC = 5;
    /** VIRTIO_NET_F_STATUS: the configuration space holds the link status. */
    public static final int F_STATUS = 16;
    /** VIRTIO_NET_S_LINK_UP. */
    public static final int S_LINK_UP = 1;
    /** Header size with VERSION_1 (virtio_net_hdr_v1, with num_buffers). */
    public static final int HEADER_V1 = 12;
    /** Header size of a legacy device without MRG_RXBUF. */
    public static final int HEADER_LEGACY = 10;

    private final Executor vm;
    private final NetConfig config;
    private final InboundPort input = new InboundPort("virtio-net input");
    private final OutboundPort output = new OutboundPort("virtio-net output");
    private DeviceContext context;

    // Device state: plain fields, for snapshots.
    private boolean linkUp;
    private long rxFrames;
    private long rxDropped;
    private long txFrames;
    private long txDropped;

    /**
     * @param vm     runs tasks on the VM's thread between VCPU slices (see {@code dev.sel4sim.virtio})
     * @param config MAC, link state, stream buffering
     */
    public VirtioNet(Executor vm, NetConfig config) {
        this.vm = Objects.requireNonNull(vm, "vm");
        this.config = Objects.requireNonNull(config, "config");
        this.linkUp = config.linkUp();
    }

    /** @return frames the guest sends; materialise once */
    public Source<ByteString, NotUsed> guestOutput() {
        return Source.fromGraph(new GuestOutputSource(vm, output, config.outputBuffer()));
    }

    /** @return frames for the guest; pulled only while the guest has receive buffers; materialise once */
    public Sink<ByteString, NotUsed> guestInput() {
        return Sink.fromGraph(new GuestInputSink(vm, input));
    }

    /** @return frames to the guest in, frames from the guest out */
    public Flow<ByteString, ByteString, NotUsed> frames() {
        return Flow.fromSinkAndSource(guestInput(), guestOutput());
    }

    /** Sets the link state the guest sees and tells it so; may be called from any thread. */
    public void setLinkUp(boolean up) {
        vm.execute(() -> {
            if (linkUp != up) {
                linkUp = up;
                if (context != null) {
                    context.configChanged();
                }
            }
        });
    }

    /** @return the counters; read on the VM's thread */
    public NetCounters counters() {
        return new NetCounters(rxFrames, rxDropped, txFrames, txDropped);
    }

    @Override
    public int deviceId() {
        return DEVICE_ID;
    }

    @Override
    public long deviceFeatures() {
        return FeatureBits.bit(F_MAC) | FeatureBits.bit(F_STATUS);
    }

    @Override
    public int queueCount() {
        return 2;
    }

    @Override
    public long maxChainBytes() {
        return 128 * 1024;
    }

    @Override
    public byte[] configSpace() {
        ByteBuffer b = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
        b.put(config.mac().octets()).putShort((short) (linkUp ? S_LINK_UP : 0)).putShort((short) 1);
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
        // Queue state lives in the transport; a frame already accepted from the host waits for the next driver.
    }

    private int headerSize() {
        return context.negotiated(FeatureBits.VERSION_1) ? HEADER_V1 : HEADER_LEGACY;
    }

    /** Puts every waiting frame the guest has buffers for into its receive queue; one interrupt for the batch. */
    private void fillReceive() {
        Optional<SplitVirtqueue> queue = context.queue(RECEIVEQ);
        if (queue.isEmpty()) {
            return;
        }
        SplitVirtqueue q = queue.get();
        int header = headerSize();
        boolean used = false;
        for (ByteString frame = input.pending(); frame != null; frame = input.pending()) {
            Optional<DescriptorChain> next = q.peek();
            if (next.isEmpty()) {
                break;
            }
            DescriptorChain chain = next.get();
            if (chain.writableLength() < header + (long) frame.size()) {
                rxDropped++;
                input.discard();
                continue;
            }
            q.advance();
            ByteBuffer bytes = ByteBuffer.allocate(header + frame.size()).order(ByteOrder.LITTLE_ENDIAN);
            if (header == HEADER_V1) {
                bytes.putShort(10, (short) 1); // num_buffers
            }
            bytes.position(header);
            bytes.put(frame.asByteBuffer());
            bytes.flip();
            int n = ChainIo.scatter(context.memory(), chain, bytes);
            q.pushUsed(chain.head(), n);
            input.consume(frame.size());
            rxFrames++;
            used = true;
        }
        if (used) {
            context.usedBuffers(RECEIVEQ);
        }
        // One frame per posted buffer: ask for as many as the guest has buffers for.
        input.requestElements(q.available());
    }

    private void drainTransmit() {
        Optional<SplitVirtqueue> queue = context.queue(TRANSMITQ);
        if (queue.isEmpty()) {
            return;
        }
        SplitVirtqueue q = queue.get();
        int header = headerSize();
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
                if (data.length < header) {
                    txDropped++;
                } else {
                    txFrames++;
                    output.emit(ByteString.fromArray(data, header, data.length - header));
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
