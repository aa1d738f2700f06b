package dev.sel4sim.virtio.queue;

import dev.sel4sim.virtio.mem.GuestMemory;

/**
 * Where a split virtqueue's three parts live in guest memory and how many entries it has.
 *
 * @param size  queue size (a power of two, at most 32768)
 * @param desc  guest-physical address of the descriptor table
 * @param avail guest-physical address of the available ring ("driver area")
 * @param used  guest-physical address of the used ring ("device area")
 */
public record QueueLayout(int size, long desc, long avail, long used) {

    /** The largest queue size a split virtqueue may have. */
    public static final int MAX_SIZE = 32768;

    /** @return bytes taken by the descriptor table of a queue of {@code size} */
    public static long descTableBytes(int size) {
        return 16L * size;
    }

    /** @return bytes taken by the available ring, {@code used_event} included */
    public static long availRingBytes(int size) {
        return 6L + 2L * size;
    }

    /** @return bytes taken by the used ring, {@code avail_event} included */
    public static long usedRingBytes(int size) {
        return 6L + 8L * size;
    }

    /**
     * The legacy (virtio-mmio version 1) layout: all three parts contiguous from page {@code pfn}, the used ring
     * at the next multiple of {@code align} after the available ring.
     */
    public static QueueLayout legacy(int size, long pfn, long pageSize, long align) {
        long desc = pfn * pageSize;
        long avail = desc + descTableBytes(size);
        long used = alignUp(avail + availRingBytes(size), align);
        return new QueueLayout(size, desc, avail, used);
    }

    private static long alignUp(long value, long align) {
        return (value + align - 1) / align * align;
    }

    /**
     * Checks the size and that the three parts are aligned as the spec requires and lie inside guest RAM.
     *
     * @param queue   the queue index, for the error
     * @param maxSize the device's QueueNumMax for this queue
     * @throws VirtqueueException with {@link VirtqueueError.Reason#BAD_QUEUE_CONFIG}
     */
    public void validate(int queue, int maxSize, GuestMemory memory) {
        if (size <= 0 || size > MAX_SIZE || Integer.bitCount(size) != 1) {
            throw bad(queue, "queue size " + size + " is not a power of two in 1.." + MAX_SIZE);
        }
        if (size > maxSize) {
            throw bad(queue, "queue size " + size + " exceeds QueueNumMax " + maxSize);
        }
        check(queue, memory, "descriptor table", desc, 16, descTableBytes(size));
        check(queue, memory, "available ring", avail, 2, availRingBytes(size));
        check(queue, memory, "used ring", used, 4, usedRingBytes(size));
    }

    private static void check(int queue, GuestMemory memory, String what, long gpa, int align, long bytes) {
        if (gpa % align != 0) {
            throw bad(queue, what + " at 0x" + Long.toHexString(gpa) + " is not " + align + "-byte aligned");
        }
        if (!memory.contains(gpa, bytes)) {
            throw bad(queue, what + " 0x" + Long.toHexString(gpa) + "+0x" + Long.toHexString(bytes)
                    + " is not inside guest RAM (" + memory + ")");
        }
    }

    private static VirtqueueException bad(int queue, String detail) {
        return new VirtqueueException(VirtqueueError.Reason.BAD_QUEUE_CONFIG, queue, detail);
    }
}
