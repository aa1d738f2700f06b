package dev.sel4sim.servers.net.stack;

import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.util.ByteString;

/**
 * The UDP server component as a stream: frames from the network in, answers out. It owns a
 * {@link HostStack} for its interface; services are bound to its ports. Answers are produced
 * while a frame is handled, so backpressure from the network reaches the sender.
 */
public final class UdpServer {
    private final HostStack stack;

    public UdpServer(NetInterface iface) {
        this.stack = new HostStack(iface);
    }

    /** Binds a service (e.g. {@link Echo}) to a UDP port; returns this server for chaining. */
    public UdpServer bind(int port, UdpHandler handler) {
        stack.bind(port, handler);
        return this;
    }

    public HostStack stack() {
        return stack;
    }

    public StackCounters counters() {
        return stack.counters();
    }

    /** The server attached to a link: frames it receives in, frames it sends out. */
    public Flow<ByteString, ByteString, NotUsed> flow() {
        return Flow.of(ByteString.class).mapConcat(stack::receive);
    }
}
