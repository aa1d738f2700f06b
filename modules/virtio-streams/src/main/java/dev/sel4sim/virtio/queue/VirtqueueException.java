package dev.sel4sim.virtio.queue;

/**
 * Carries a {@link VirtqueueError} from deep inside queue handling to the device boundary, where the transport
 * turns it into DEVICE_NEEDS_RESET for that device. Never meant to reach an actor.
 */
public final class VirtqueueException extends RuntimeException {
    private final transient VirtqueueError error;

    public VirtqueueException(VirtqueueError error) {
        super(error.toString(), null, false, false);
        this.error = error;
    }

    public VirtqueueException(VirtqueueError.Reason reason, int queue, String detail) {
        this(new VirtqueueError(reason, queue, detail));
    }

    /** @return the error */
    public VirtqueueError error() {
        return error;
    }
}
