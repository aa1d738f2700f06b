package dev.sel4sim.virtio.blk;

import java.util.ArrayList;
import java.util.List;

import dev.sel4sim.virtio.queue.GuestBuffer;

/**
 * Byte ranges of a chain's buffers. A driver may split a request across descriptors as it likes (virtio 1.x
 * 2.6.4, "message framing"): the header, the data and the status byte are offsets in the readable or writable
 * bytes taken as one stream, not descriptors.
 */
final class BufferSpan {
    private BufferSpan() {
    }

    /** @return the pieces of guest memory that hold bytes {@code [start, start + length)} of {@code buffers} */
    static List<GuestBuffer> of(List<GuestBuffer> buffers, long start, long length) {
        List<GuestBuffer> out = new ArrayList<>();
        long skip = start;
        long left = length;
        for (GuestBuffer b : buffers) {
            if (left == 0) {
                break;
            }
            if (skip >= b.length()) {
                skip -= b.length();
                continue;
            }
            int n = (int) Math.min(b.length() - skip, left);
            out.add(new GuestBuffer(b.gpa() + skip, n));
            skip = 0;
            left -= n;
        }
        if (left != 0) {
            throw new IllegalArgumentException(length + " bytes at " + start + " are past the buffers' end");
        }
        return out;
    }
}
