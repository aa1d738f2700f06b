package dev.sel4sim.virtio.device;

/**
 * A virtio device type, independent of the transport that exposes it. The transport calls every method on the
 * thread that owns the VM, in response to the driver's register accesses.
 */
public interface VirtioDevice {

    /** @return the virtio device ID (1 network, 3 console, ...) */
    int deviceId();

    /** @return the device-type feature bits offered; the transport adds the generic ones ({@link FeatureBits}) */
    long deviceFeatures();

    /** @return how many virtqueues the device has */
    int queueCount();

    /** @return the largest size the driver may give queue {@code index} (QueueNumMax) */
    default int queueMaxSize(int index) {
        return 256;
    }

    /** @return the most bytes one descriptor chain may hold; longer chains break the device */
    default long maxChainBytes() {
        return 1L << 20;
    }

    /** @return the device configuration space as it is now, little-endian */
    byte[] configSpace();

    /** The driver wrote {@code size} bytes of {@code value} at {@code offset} in the configuration space. */
    default void writeConfig(int offset, int size, long value) {
    }

    /** Called once, when the device is plugged into its transport. */
    void attach(DeviceContext context);

    /** The driver set DRIVER_OK: queues may already hold buffers. */
    void activate();

    /** The driver notified queue {@code index}. */
    void queueNotify(int index);

    /**
     * The driver reset the device: forget everything tied to the queues. Data already accepted from the host
     * side stays, to be delivered once the driver is back.
     */
    void reset();
}
