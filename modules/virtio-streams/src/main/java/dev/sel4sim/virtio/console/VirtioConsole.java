package dev.sel4sim.virtio.console;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;

import org.apache.pekko.util.ByteString;

import dev.sel4sim.virtio.queue.ChainIo;
import dev.sel4sim.virtio.queue.DescriptorChain;
import dev.sel4sim.virtio.queue.SplitVirtqueue;
import dev.sel4sim.virtio.stream.StreamDevice;

/**
 * virtio-console (device ID 3) with a single port: receiveq0 and transmitq0, no multiport. What the guest
 * writes comes out of {@link #guestOutput()}; what flows into {@link #guestInput()} is written into the guest's
 * receive buffers. Device methods run on the VM's thread; the streams reach the device through {@code vm}.
 */
public final class VirtioConsole extends StreamDevice {
    /** The virtio device ID of a console. */
    public static final int DEVICE_ID = 3;
    /** VIRTIO_CONSOLE_F_SIZE: cols and rows in the configuration space are valid. */
    public static final int F_SIZE = 0;

    private final ConsoleConfig config;

    // Counters: plain state, for snapshots and tests.
    private long bytesToGuest;
    private long bytesFromGuest;

    /**
     * @param vm     runs tasks on the VM's thread between VCPU slices (see {@code dev.sel4sim.virtio})
     * @param config console size and stream buffering
     */
    public VirtioConsole(Executor vm, ConsoleConfig config) {
        super(vm, "virtio-console", Objects.requireNonNull(config, "config").outputBuffer());
        this.config = config;
    }

    /** @return a console with {@link ConsoleConfig#DEFAULT} */
    public VirtioConsole(Executor vm) {
        this(vm, ConsoleConfig.DEFAULT);
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
    public byte[] configSpace() {
        ByteBuffer b = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) config.cols()).putShort((short) config.rows()).putInt(1).putInt(0);
        return b.array();
    }

    @Override
    public void reset() {
        // Nothing of the queues lives here; pending host input is kept for the next driver.
    }

    /** Writes the waiting bytes into as many receive buffers as they fill. */
    @Override
    protected boolean fill(SplitVirtqueue q) {
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
        return used;
    }

    @Override
    protected ByteString fromGuest(byte[] data) {
        bytesFromGuest += data.length;
        return data.length > 0 ? ByteString.fromArrayUnsafe(data) : null;
    }
}
