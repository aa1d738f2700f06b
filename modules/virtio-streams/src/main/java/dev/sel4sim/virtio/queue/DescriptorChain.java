package dev.sel4sim.virtio.queue;

import java.util.List;

/**
 * A validated descriptor chain taken from the available ring: the buffers the device may read, then the buffers
 * it may write, in chain order.
 *
 * @param head     the head descriptor index, returned in the used ring
 * @param readable device-readable buffers
 * @param writable device-writable buffers
 */
public record DescriptorChain(int head, List<GuestBuffer> readable, List<GuestBuffer> writable) {

    public DescriptorChain {
        readable = List.copyOf(readable);
        writable = List.copyOf(writable);
    }

    /** @return total bytes the device may read */
    public long readableLength() {
        return readable.stream().mapToLong(GuestBuffer::length).sum();
    }

    /** @return total bytes the device may write */
    public long writableLength() {
        return writable.stream().mapToLong(GuestBuffer::length).sum();
    }
}
