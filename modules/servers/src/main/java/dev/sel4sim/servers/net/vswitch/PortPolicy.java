package dev.sel4sim.servers.net.vswitch;

import dev.sel4sim.servers.net.MacAddress;
import java.util.Set;

/**
 * Whom a port may talk to. An open policy allows everything. Otherwise a frame entering this port
 * may leave through port {@code p} only when {@code p} is in {@code ports}, or, for a known
 * unicast destination, when the destination MAC is in {@code macs}. Flooded frames (broadcast,
 * multicast, unknown unicast) reach the listed ports and the ports where a listed MAC has been
 * learned, so a MAC-only allow list lets ARP through once the peer has spoken.
 */
public record PortPolicy(boolean open, Set<Integer> ports, Set<MacAddress> macs) {
    public static final PortPolicy OPEN = new PortPolicy(true, Set.of(), Set.of());

    public PortPolicy {
        ports = Set.copyOf(ports);
        macs = Set.copyOf(macs);
        if (open && (!ports.isEmpty() || !macs.isEmpty())) {
            throw new IllegalArgumentException("an open port policy takes no allow lists");
        }
    }

    /** Allows only the listed ports and MACs. */
    public static PortPolicy only(Set<Integer> ports, Set<MacAddress> macs) {
        return new PortPolicy(false, ports, macs);
    }
}
