package dev.sel4sim.virtio.mmio;

/**
 * The per-queue address registers the driver writes, as plain fields (they are part of a device's snapshot).
 * Whether the queue is enabled is the core's to say.
 */
final class QueueRegisters {
    int num;
    long desc;
    long driver;
    long device;
    long align = 4096; // legacy
    long pfn; // legacy

    QueueRegisters(int maxSize) {
        this.num = maxSize;
    }
}
