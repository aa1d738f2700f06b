package dev.sel4sim.virtio.queue;

import java.nio.ByteBuffer;

import dev.sel4sim.virtio.mem.GuestMemory;

/** Copies between a validated chain's buffers and host memory. */
public final class ChainIo {
    private ChainIo() {
    }

    /** @return the chain's device-readable bytes, in order */
    public static byte[] gather(GuestMemory memory, DescriptorChain chain) {
        long total = chain.readableLength();
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("chain " + chain.head() + " is too large to gather: " + total);
        }
        byte[] out = new byte[(int) total];
        int at = 0;
        for (GuestBuffer b : chain.readable()) {
            memory.read(b.gpa(), out, at, b.length());
            at += b.length();
        }
        return out;
    }

    /**
     * Writes {@code src} (from its position) into the chain's device-writable buffers, in order, until either
     * runs out; advances {@code src}'s position.
     *
     * @return bytes written
     */
    public static int scatter(GuestMemory memory, DescriptorChain chain, ByteBuffer src) {
        int written = 0;
        for (GuestBuffer b : chain.writable()) {
            if (!src.hasRemaining()) {
                break;
            }
            int n = Math.min(b.length(), src.remaining());
            ByteBuffer part = src.slice(src.position(), n);
            memory.write(b.gpa(), part);
            src.position(src.position() + n);
            written += n;
        }
        return written;
    }
}
