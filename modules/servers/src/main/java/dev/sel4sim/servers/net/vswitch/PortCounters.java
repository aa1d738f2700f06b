package dev.sel4sim.servers.net.vswitch;

/**
 * One port's counters at a moment. {@code rx} counts frames received from the attached device and
 * {@code tx} frames handed to it. Drops for {@code NO_ROUTE}, {@code DENIED} and {@code MALFORMED}
 * are counted on the ingress port, {@code QUEUE_FULL} on the egress port whose buffer was full.
 */
public record PortCounters(long rx, long tx, long noRoute, long denied, long queueFull, long malformed) {
    public long dropped(DropReason reason) {
        return switch (reason) {
            case NO_ROUTE -> noRoute;
            case DENIED -> denied;
            case QUEUE_FULL -> queueFull;
            case MALFORMED -> malformed;
        };
    }
}
