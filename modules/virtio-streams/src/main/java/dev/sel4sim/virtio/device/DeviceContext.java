package dev.sel4sim.virtio.device;

import java.util.Optional;

import dev.sel4sim.virtio.mem.GuestMemory;
import dev.sel4sim.virtio.queue.SplitVirtqueue;

/**
 * What a transport gives the device attached to it. Every method must be called on the thread that owns the
 * VM (the one that delivers MMIO accesses); none of them is thread-safe.
 */
public interface DeviceContext {

    /** @return guest RAM */
    GuestMemory memory();

    /**
     * @return queue {@code index} if the driver has enabled it, set DRIVER_OK, and the device is not broken;
     *         otherwise empty, and the device leaves its work pending until the queue appears
     */
    Optional<SplitVirtqueue> queue(int index);

    /** @return whether the driver accepted feature {@code bit} */
    boolean negotiated(int bit);

    /** The device put entries into queue {@code index}'s used ring: interrupts the driver unless it suppressed that. */
    void usedBuffers(int index);

    /** The device's configuration space changed: bumps ConfigGeneration and raises a configuration interrupt. */
    void configChanged();

    /**
     * Runs device work that reads the driver's rings or buffers. A {@link dev.sel4sim.virtio.queue.VirtqueueException}
     * or any other failure inside marks this device DEVICE_NEEDS_RESET; nothing propagates to the caller.
     */
    void run(Runnable work);
}
