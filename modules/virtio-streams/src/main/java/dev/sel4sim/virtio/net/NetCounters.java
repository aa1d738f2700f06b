package dev.sel4sim.virtio.net;

/**
 * What a network device has moved so far.
 *
 * @param rxFrames  frames written into the guest's receive buffers
 * @param rxDropped frames from the host dropped because the guest's next receive buffer was too small
 * @param txFrames  frames the guest sent
 * @param txDropped transmit buffers too short to hold the virtio-net header
 */
public record NetCounters(long rxFrames, long rxDropped, long txFrames, long txDropped) {
}
