package dev.sel4sim.servers.net.stack;

import org.apache.pekko.util.ByteString;

/**
 * A service bound to a UDP port of a {@link HostStack}. It is called for each datagram to its
 * port; whatever it sends through {@code out} while handling it goes out in order. An exception
 * it throws is counted and logged by the stack, never passed on.
 */
@FunctionalInterface
public interface UdpHandler {
    void datagram(UdpEndpoint from, int localPort, ByteString payload, UdpSender out);
}
