package dev.sel4sim.virtio.device;

/** Device-independent feature bits (virtio 1.x section 6) that the transport offers on every device's behalf. */
public final class FeatureBits {
    /** Descriptors may refer to indirect tables. */
    public static final int INDIRECT_DESC = 28;
    /** {@code used_event} / {@code avail_event} notification suppression. */
    public static final int EVENT_IDX = 29;
    /** Compliance with virtio 1.x (not offered by legacy transports). */
    public static final int VERSION_1 = 32;

    private FeatureBits() {
    }

    /** @return the mask of feature {@code bit} */
    public static long bit(int bit) {
        return 1L << bit;
    }

    /** @return whether {@code features} has {@code bit} set */
    public static boolean has(long features, int bit) {
        return (features & bit(bit)) != 0;
    }
}
