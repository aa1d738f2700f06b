package dev.sel4sim.virtio.mmio;

/** Which virtio-mmio register layout a device presents (virtio 1.x section 4.2.2 and 4.2.4). */
public enum MmioMode {
    /** Version 1: GuestPageSize, QueuePFN and QueueAlign; no FEATURES_OK step; no VERSION_1 feature. */
    LEGACY(1),
    /** Version 2: queue addresses as 64-bit low/high pairs, QueueReady, FEATURES_OK, VERSION_1. */
    MODERN(2);

    private final int version;

    MmioMode(int version) {
        this.version = version;
    }

    /** @return the value of the Version register */
    public int version() {
        return version;
    }
}
