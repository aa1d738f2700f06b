package dev.sel4sim.virtio.mmio;

/** The per-queue registers the driver writes, as plain fields (they are part of a device's snapshot). */
final class QueueRegisters {
    int num;
    boolean ready;
    long desc;
    long driver;
    long device;
    long align = 4096; // legacy
    long pfn; // legacy

    QueueRegisters(int maxSize) {
        this.num = maxSize;
    }
}
