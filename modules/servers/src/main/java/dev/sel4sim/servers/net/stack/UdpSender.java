package dev.sel4sim.servers.net.stack;

import org.apache.pekko.util.ByteString;

/** Sends a UDP datagram from the host's own address. */
@FunctionalInterface
public interface UdpSender {
    void send(int srcPort, UdpEndpoint to, ByteString payload);
}
