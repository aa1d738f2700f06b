package dev.sel4sim.servers.net.stack;

import dev.sel4sim.servers.net.Ipv4Address;

/** An IPv4 address and UDP port. */
public record UdpEndpoint(Ipv4Address ip, int port) {
    @Override
    public String toString() {
        return ip + ":" + port;
    }
}
