package dev.sel4sim.servers.net.gateway;

import dev.sel4sim.servers.net.stack.UdpEndpoint;

/** One forwarded host port: datagrams to {@code hostPort} on the host go to {@code target} in the simulation (0 picks a free port). */
public record Forward(int hostPort, UdpEndpoint target) {
    public Forward {
        if (hostPort < 0 || hostPort > 65535) {
            throw new IllegalArgumentException("host port " + hostPort + " is outside 0..65535");
        }
        if (target.port() < 1 || target.port() > 65535) {
            throw new IllegalArgumentException("target port " + target.port() + " is outside 1..65535");
        }
    }
}
