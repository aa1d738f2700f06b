package dev.sel4sim.virtio.net;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;

import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.util.ByteString;

import dev.sel4sim.virtio.device.FeatureBits;
import dev.sel4sim.virtio.queue.ChainIo;
import dev.sel4sim.virtio.queue.DescriptorChain;
import dev.sel4sim.virtio.queue.SplitVirtqueue;
import dev.sel4sim.virtio.stream.StreamDevice;

/**
 * virtio-net (device ID 1) with one queue pair and no offloads: features MAC and STATUS (plus VERSION_1 from a
 * modern transport). Frames are whole Ethernet frames without the virtio-net header: the device strips it on
 * transmit and writes it on receive (12 bytes, {@code num_buffers} = 1, when VERSION_1 was negotiated; 10 bytes
 * otherwise, as MRG_RXBUF is never offered). Each received frame goes into one receive chain; a frame that does
 * not fit the guest's next chain is dropped and counted, and the chain is kept for the next frame.
 */
public final class VirtioNet extends StreamDevice {
    /** The virtio device ID of a network card. */
    public static final int DEVICE_ID = 1;
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

    private final NetConfig config;

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
        super(vm, "virtio-net", Objects.requireNonNull(config, "config").outputBuffer());
        this.config = config;
        this.linkUp = config.linkUp();
    }

    /** @return frames to the guest in, frames from the guest out (as {@link #flow()}) */
    public Flow<ByteString, ByteString, NotUsed> frames() {
        return flow();
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
    public void reset() {
        // Queue state lives in the transport; a frame already accepted from the host waits for the next driver.
    }

    private int headerSize() {
        return context.negotiated(FeatureBits.VERSION_1) ? HEADER_V1 : HEADER_LEGACY;
    }

    /** Puts every waiting frame the guest has buffers for into its receive queue, a chain each. */
    @Override
    protected boolean fill(SplitVirtqueue q) {
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
        return used;
    }

    @Override
    protected ByteString fromGuest(byte[] data) {
        int header = headerSize();
        if (data.length < header) {
            txDropped++;
            return null;
        }
        txFrames++;
        return ByteString.fromArray(data, header, data.length - header);
    }
}
