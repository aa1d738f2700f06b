package dev.sel4sim.servers.net.vswitch;

/** Why the switch did not deliver a frame. */
public enum DropReason {
    /** No port to send it to: the destination sits on the port it came from, or no other port exists. */
    NO_ROUTE,
    /** The ingress port's allow list does not permit the destination. */
    DENIED,
    /** The egress port's bounded buffer was full (its device is not draining fast enough). */
    QUEUE_FULL,
    /** Shorter than an Ethernet header. */
    MALFORMED
}
