package dev.sel4sim.virtio.net;

import java.util.Objects;

/**
 * A network device's settings.
 *
 * @param mac          the guest's MAC address (VIRTIO_NET_F_MAC)
 * @param linkUp       the initial link state (VIRTIO_NET_F_STATUS)
 * @param outputBuffer frames the stream may hold ahead of its consumer (at least 1)
 */
public record NetConfig(MacAddress mac, boolean linkUp, int outputBuffer) {

    public NetConfig {
        Objects.requireNonNull(mac, "mac");
        if (outputBuffer < 1) {
            throw new IllegalArgumentException("outputBuffer must be at least 1: " + outputBuffer);
        }
    }

    /** @return link up, 16 frames of output buffering */
    public static NetConfig of(MacAddress mac) {
        return new NetConfig(mac, true, 16);
    }
}
