package dev.sel4sim.virtio.testing;

import java.nio.ByteBuffer;
import java.util.Optional;

import dev.sel4sim.virtio.device.DeviceContext;
import dev.sel4sim.virtio.device.VirtioDevice;
import dev.sel4sim.virtio.queue.ChainIo;
import dev.sel4sim.virtio.queue.DescriptorChain;
import dev.sel4sim.virtio.queue.SplitVirtqueue;

/** A test device: each chain's readable bytes are written back into its own writable buffers. */
public final class LoopbackDevice implements VirtioDevice {
    public static final int ID = 42;
    public static final long FEATURES = 1L | 1L << 40;

    private final byte[] config = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, (byte) 0x88};
    private DeviceContext context;
    public int activations;
    public int resets;

    @Override
    public int deviceId() {
        return ID;
    }

    @Override
    public long deviceFeatures() {
        return FEATURES;
    }

    @Override
    public int queueCount() {
        return 2;
    }

    @Override
    public int queueMaxSize(int index) {
        return 16;
    }

    @Override
    public long maxChainBytes() {
        return 64 * 1024;
    }

    @Override
    public byte[] configSpace() {
        return config.clone();
    }

    @Override
    public void attach(DeviceContext context) {
        this.context = context;
    }

    public DeviceContext context() {
        return context;
    }

    /** Changes a config byte as a device would on a host-side event. */
    public void setConfigByte(int offset, byte value) {
        config[offset] = value;
        context.configChanged();
    }

    @Override
    public void activate() {
        activations++;
        for (int q = 0; q < queueCount(); q++) {
            queueNotify(q);
        }
    }

    @Override
    public void queueNotify(int index) {
        Optional<SplitVirtqueue> queue = context.queue(index);
        if (queue.isEmpty()) {
            return;
        }
        SplitVirtqueue q = queue.get();
        boolean any = false;
        for (Optional<DescriptorChain> c = q.pop(); c.isPresent(); c = q.pop()) {
            byte[] data = ChainIo.gather(context.memory(), c.get());
            int n = ChainIo.scatter(context.memory(), c.get(), ByteBuffer.wrap(data));
            q.pushUsed(c.get().head(), n);
            any = true;
        }
        if (any) {
            context.usedBuffers(index);
        }
    }

    @Override
    public void reset() {
        resets++;
    }
}
