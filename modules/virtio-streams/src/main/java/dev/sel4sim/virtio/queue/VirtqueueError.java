package dev.sel4sim.virtio.queue;

import java.util.Objects;

/**
 * Why a device stopped trusting its driver: a malformed descriptor chain, ring or queue set-up. The device that
 * sees one sets DEVICE_NEEDS_RESET and ignores its queues until the driver resets it; other devices carry on.
 *
 * @param reason what rule was broken
 * @param queue  the queue index, or -1 if the error is not about one queue
 * @param detail addresses, indices and lengths involved, for the log
 */
public record VirtqueueError(Reason reason, int queue, String detail) {

    /** The rules a driver can break. */
    public enum Reason {
        /** A descriptor, indirect table or ring lies (partly) outside guest RAM. */
        OUTSIDE_RAM,
        /** A head or {@code next} index is not below the queue size. */
        INDEX_OUT_OF_RANGE,
        /** A chain visits more descriptors than its table holds: a loop. */
        CHAIN_LOOP,
        /** A device-readable descriptor follows a device-writable one. */
        READABLE_AFTER_WRITABLE,
        /** The buffers of one chain add up to more bytes than the device accepts. */
        CHAIN_TOO_LONG,
        /** An indirect table whose length is zero, not a multiple of 16, or more entries than the queue size. */
        BAD_INDIRECT_LENGTH,
        /** An indirect descriptor inside an indirect table. */
        NESTED_INDIRECT,
        /** An indirect descriptor that also has NEXT set. */
        INDIRECT_WITH_NEXT,
        /** An indirect descriptor although VIRTIO_F_INDIRECT_DESC was not negotiated. */
        INDIRECT_NOT_NEGOTIATED,
        /** The available index moved by more than the queue size since the device last looked. */
        BAD_AVAIL_INDEX,
        /** A queue was enabled with a bad size, misaligned rings or rings outside RAM. */
        BAD_QUEUE_CONFIG,
        /** A request whose framing the device type needs is missing (virtio-blk without its header or status byte). */
        MALFORMED_REQUEST,
        /** The device model itself failed on this driver's input (a bug, contained to the device). */
        DEVICE_FAULT
    }

    public VirtqueueError {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
    }

    @Override
    public String toString() {
        return reason + (queue >= 0 ? " on queue " + queue : "") + ": " + detail;
    }
}
