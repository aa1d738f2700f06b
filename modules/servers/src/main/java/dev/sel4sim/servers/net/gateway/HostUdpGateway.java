package dev.sel4sim.servers.net.gateway;

import dev.sel4sim.servers.net.stack.HostStack;
import dev.sel4sim.servers.net.stack.UdpEndpoint;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards UDP from host sockets into the simulated network, as QEMU's {@code hostfwd} does. Each
 * configured host port is a {@link DatagramChannel}; a datagram from a host peer becomes an
 * Ethernet/IPv4/UDP frame from the gateway's own MAC and IP to the forward's target, sent from a
 * gateway port kept for that peer, so the target's answers to that port go back to the same host
 * peer. The gateway is a small host on the simulated network (it answers ARP and resolves the
 * target's MAC). Frames towards the network wait in a bounded buffer and are dropped, counted,
 * when it is full or no link is attached. {@link #close()} closes every socket.
 */
public final class HostUdpGateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HostUdpGateway.class);
    /** Gateway-side ports for host peers come from the dynamic range (RFC 6335). */
    private static final int FIRST_FLOW_PORT = 49152, LAST_FLOW_PORT = 65535;

    /** A host peer of one forward. */
    private record Peer(int forward, SocketAddress address) {}

    /** A host peer and the gateway port its datagrams come from in the simulation. */
    private record PeerFlow(Peer peer, int gatewayPort) {}

    private final GatewayConfig config;
    private final HostStack stack;
    private final List<DatagramChannel> channels;
    private final List<Thread> readers = new ArrayList<>();
    private final AtomicReference<BoundedSourceQueue<ByteString>> link = new AtomicReference<>();
    // Guarded by this: the peers, least recently used first, and the port allocator.
    private final LinkedHashMap<Peer, PeerFlow> flowsByPeer = new LinkedHashMap<>(16, 0.75f, true);
    private final Set<Integer> portsInUse = new HashSet<>();
    private int nextFlowPort = FIRST_FLOW_PORT;
    private boolean closed;
    // Counters have their own lock: they are bumped from inside the stack's handlers.
    private final Object stats = new Object();
    private long fromHost, droppedNoLink, droppedQueueFull, toHost, stray, flowsEvicted, sendErrors;

    private HostUdpGateway(GatewayConfig config, List<DatagramChannel> channels) {
        this.config = config;
        this.stack = new HostStack(config.iface());
        this.channels = channels;
    }

    /**
     * Binds every forwarded host port and starts reading. If a port cannot be bound, the ones
     * already bound are closed and a {@link GatewayBindError} names the port and its forward.
     */
    public static HostUdpGateway start(GatewayConfig config) {
        List<DatagramChannel> bound = new ArrayList<>();
        for (Forward f : config.forwards()) {
            String what = "host UDP port " + config.hostAddress() + ":" + f.hostPort() + " (forwarded to " + f.target() + ")";
            DatagramChannel ch = null;
            try {
                ch = DatagramChannel.open();
                ch.bind(new InetSocketAddress(config.hostAddress(), f.hostPort()));
                bound.add(ch);
            } catch (IOException | RuntimeException e) {
                closeQuietly(ch);
                bound.forEach(HostUdpGateway::closeQuietly);
                String why = e instanceof BindException ? "is already in use or not available" : "cannot be bound: " + e.getMessage();
                throw new GatewayBindError(what + " " + why, e);
            }
        }
        HostUdpGateway g = new HostUdpGateway(config, bound);
        for (int i = 0; i < bound.size(); i++) {
            int forward = i;
            g.readers.add(Thread.ofVirtual().name("udp-gateway-" + g.hostPort(i)).start(() -> g.read(forward)));
        }
        return g;
    }

    /** The host port forward {@code i} is bound to (useful when it was configured as 0). */
    public int hostPort(int i) {
        try {
            return ((InetSocketAddress) channels.get(i).getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new IllegalStateException("forward " + i + " has no bound socket: " + e.getMessage(), e);
        }
    }

    /** What it was started with: its interface, host address and forwards. */
    public GatewayConfig config() {
        return config;
    }

    public HostStack stack() {
        return stack;
    }

    /**
     * The gateway attached to the simulated network: frames to it in, frames from it out. One link
     * at a time; materializing it again while attached fails that materialization.
     */
    public Flow<ByteString, ByteString, NotUsed> flow() {
        Sink<ByteString, ?> in = Sink.foreach(frame -> stack.receive(frame).forEach(this::toNetwork));
        Source<ByteString, NotUsed> out = Source.<ByteString>queue(config.outputBuffer())
                .watchTermination(Keep.both())
                .mapMaterializedValue(qd -> {
                    BoundedSourceQueue<ByteString> q = qd.first();
                    if (!link.compareAndSet(null, q)) {
                        q.fail(new IllegalStateException("the host UDP gateway already has a link attached"));
                        throw new IllegalStateException("the host UDP gateway already has a link attached");
                    }
                    qd.second().whenComplete((done, err) -> link.compareAndSet(q, null));
                    return NotUsed.getInstance();
                });
        return Flow.fromSinkAndSourceCoupled(in, out);
    }

    private void read(int forward) {
        DatagramChannel ch = channels.get(forward);
        ByteBuffer buf = ByteBuffer.allocate(65535);
        while (true) {
            SocketAddress peer;
            try {
                buf.clear();
                peer = ch.receive(buf);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                LOG.warn("host UDP port {}: receive failed, stopping: {}", hostPort(forward), e.toString());
                return;
            }
            buf.flip();
            fromHost(forward, peer, ByteString.fromByteBuffer(buf));
        }
    }

    private void fromHost(int forward, SocketAddress peer, ByteString payload) {
        List<ByteString> frames;
        synchronized (this) {
            if (closed) {
                return;
            }
            PeerFlow f = flowFor(forward, peer);
            frames = stack.send(f.gatewayPort(), config.forwards().get(forward).target(), payload);
        }
        synchronized (stats) {
            fromHost++;
        }
        frames.forEach(this::toNetwork);
    }

    private PeerFlow flowFor(int forward, SocketAddress address) {
        Peer peer = new Peer(forward, address);
        PeerFlow f = flowsByPeer.get(peer);
        if (f != null) {
            return f;
        }
        if (flowsByPeer.size() >= config.flowCapacity()) {
            forget(flowsByPeer.values().iterator().next());
            synchronized (stats) {
                flowsEvicted++;
            }
        }
        PeerFlow flow = new PeerFlow(peer, allocatePort());
        flowsByPeer.put(peer, flow);
        portsInUse.add(flow.gatewayPort());
        UdpEndpoint target = config.forwards().get(forward).target();
        DatagramChannel ch = channels.get(forward);
        stack.bind(flow.gatewayPort(), (from, port, data, out) -> toHost(flow, target, ch, from, data));
        return flow;
    }

    private void forget(PeerFlow f) {
        flowsByPeer.remove(f.peer());
        portsInUse.remove(f.gatewayPort());
        stack.unbind(f.gatewayPort());
    }

    private int allocatePort() {
        // The capacity (at most 16384) is below the range's size, so a free port always exists.
        while (true) {
            int p = nextFlowPort;
            nextFlowPort = p == LAST_FLOW_PORT ? FIRST_FLOW_PORT : p + 1;
            if (!portsInUse.contains(p)) {
                return p;
            }
        }
    }

    private void toHost(PeerFlow flow, UdpEndpoint target, DatagramChannel ch, UdpEndpoint from, ByteString data) {
        if (!from.equals(target)) {
            synchronized (stats) {
                stray++;
            }
            return;
        }
        try {
            ch.send(data.asByteBuffer(), flow.peer().address());
            synchronized (stats) {
                toHost++;
            }
        } catch (IOException e) {
            synchronized (stats) {
                sendErrors++;
            }
            LOG.warn("host UDP gateway: sending to {} failed: {}", flow.peer().address(), e.toString());
        }
    }

    private void toNetwork(ByteString frame) {
        BoundedSourceQueue<ByteString> q = link.get();
        QueueOfferResult r = q == null ? null : q.offer(frame);
        if (r == QueueOfferResult.dropped()) {
            synchronized (stats) {
                droppedQueueFull++;
            }
        } else if (r == null || r != QueueOfferResult.enqueued()) {
            // Not attached, or the link is going away.
            synchronized (stats) {
                droppedNoLink++;
            }
        }
    }

    public GatewayCounters counters() {
        synchronized (stats) {
            return new GatewayCounters(fromHost, droppedNoLink, droppedQueueFull, toHost, stray, flowsEvicted, sendErrors);
        }
    }

    /** Host peers remembered now. */
    public synchronized int flows() {
        return flowsByPeer.size();
    }

    /** Closes every host socket and stops the readers; idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        channels.forEach(HostUdpGateway::closeQuietly);
        for (Thread t : readers) {
            try {
                t.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        BoundedSourceQueue<ByteString> q = link.getAndSet(null);
        if (q != null) {
            q.complete();
        }
    }

    private static void closeQuietly(DatagramChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                LOG.debug("closing a host UDP socket: {}", e.toString());
            }
        }
    }
}
