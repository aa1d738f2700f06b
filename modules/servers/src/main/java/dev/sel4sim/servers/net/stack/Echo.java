package dev.sel4sim.servers.net.stack;

import org.apache.pekko.util.ByteString;

/** The echo service (RFC 862 over UDP): answers every datagram with its own payload. */
public final class Echo implements UdpHandler {
    /** The well-known echo port. */
    public static final int PORT = 7;

    private long echoed;

    @Override
    public synchronized void datagram(UdpEndpoint from, int localPort, ByteString payload, UdpSender out) {
        echoed++;
        out.send(localPort, from, payload);
    }

    /** Datagrams answered so far. */
    public synchronized long echoed() {
        return echoed;
    }
}
