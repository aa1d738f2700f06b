package dev.sel4sim.servers.net.stack;

import dev.sel4sim.servers.net.ArpPacket;
import dev.sel4sim.servers.net.EthernetFrame;
import dev.sel4sim.servers.net.Frames;
import dev.sel4sim.servers.net.IcmpMessage;
import dev.sel4sim.servers.net.Ipv4Address;
import dev.sel4sim.servers.net.Ipv4Packet;
import dev.sel4sim.servers.net.MacAddress;
import dev.sel4sim.servers.net.ParseError;
import dev.sel4sim.servers.net.ParseResult;
import dev.sel4sim.servers.net.UdpDatagram;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A minimal IPv4 host on one interface, as plain logic over frames: it answers ARP requests for
 * its address, answers ICMP echo requests, hands UDP datagrams to the handler bound to their
 * port (ICMP port unreachable otherwise), and resolves neighbours through a small ARP cache,
 * holding packets while a request is out. Every call returns the frames to transmit. Thread-safe.
 */
public final class HostStack {
    private static final Logger LOG = LoggerFactory.getLogger(HostStack.class);
    /** IP header plus the first 8 bytes of the offending datagram, as RFC 792 asks. */
    private static final int UNREACHABLE_QUOTE = 8;

    private final NetInterface iface;
    private final ArpCache arp;
    private final Map<Integer, UdpHandler> handlers = new TreeMap<>();
    private int nextIdentification;
    private long rx, notForUs, malformed, fragments, arpAnswered, arpRequested, echoReplies, udpDelivered, udpNoPort,
            unresolvedDropped, handlerErrors;

    public HostStack(NetInterface iface) {
        this(iface, 64, 8);
    }

    /** A stack remembering at most {@code arpEntries} neighbours and holding {@code pendingPerNeighbour} packets for each unresolved one. */
    public HostStack(NetInterface iface, int arpEntries, int pendingPerNeighbour) {
        if (arpEntries < 1 || pendingPerNeighbour < 1) {
            throw new IllegalArgumentException("ARP cache size and pending queue must be positive");
        }
        this.iface = iface;
        this.arp = new ArpCache(arpEntries, pendingPerNeighbour);
    }

    public NetInterface iface() {
        return iface;
    }

    /** Binds {@code handler} to UDP {@code port}; a port takes one handler. */
    public synchronized HostStack bind(int port, UdpHandler handler) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("UDP port " + port + " is outside 1..65535");
        }
        if (handlers.putIfAbsent(port, handler) != null) {
            throw new IllegalStateException("UDP port " + port + " of " + iface.ip() + " is already bound");
        }
        return this;
    }

    public synchronized void unbind(int port) {
        handlers.remove(port);
    }

    /** Handles one received frame; returns the frames to send in answer (possibly none). */
    public synchronized List<ByteString> receive(ByteString bytes) {
        rx++;
        List<ByteString> out = new ArrayList<>(1);
        if (!(EthernetFrame.parse(bytes) instanceof ParseResult.Ok<EthernetFrame>(EthernetFrame frame))) {
            malformed++;
            return out;
        }
        if (!frame.dst().equals(iface.mac()) && !frame.dst().isBroadcast()) {
            notForUs++;
            return out;
        }
        switch (frame.etherType()) {
            case EthernetFrame.TYPE_ARP -> arp(frame, out);
            case EthernetFrame.TYPE_IPV4 -> ipv4(frame, out);
            default -> notForUs++;
        }
        return out;
    }

    /** Sends a UDP datagram from this host; returns the frames to transmit (an ARP request if the peer is unknown). */
    public synchronized List<ByteString> send(int srcPort, UdpEndpoint to, ByteString payload) {
        List<ByteString> out = new ArrayList<>(1);
        sendUdp(srcPort, to, payload, out);
        return out;
    }

    private void arp(EthernetFrame frame, List<ByteString> out) {
        ArpPacket a;
        switch (ArpPacket.parse(frame.payload())) {
            case ParseResult.Ok<ArpPacket> ok -> a = ok.value();
            case ParseResult.Failed<ArpPacket> f -> {
                malformed++;
                return;
            }
        }
        boolean forUs = a.targetIp().equals(iface.ip());
        // RFC 826: update a known sender; add it when the packet is for us.
        if (forUs || arp.lookup(a.senderIp()) != null) {
            flush(arp.learn(a.senderIp(), a.senderMac()), a.senderMac(), out);
        }
        if (forUs && a.operation() == ArpPacket.REQUEST) {
            arpAnswered++;
            out.add(Frames.arp(a.senderMac(), a.replyFrom(iface.mac())));
        } else if (!forUs) {
            notForUs++;
        }
    }

    private void ipv4(EthernetFrame frame, List<ByteString> out) {
        Ipv4Packet p;
        switch (Ipv4Packet.parse(frame.payload())) {
            case ParseResult.Ok<Ipv4Packet> ok -> p = ok.value();
            case ParseResult.Failed<Ipv4Packet> f -> {
                if (f.error().kind() == ParseError.Kind.FRAGMENT) {
                    fragments++;
                } else {
                    malformed++;
                }
                return;
            }
        }
        boolean unicast = p.dst().equals(iface.ip());
        if (!unicast && !p.dst().equals(Ipv4Address.BROADCAST)) {
            notForUs++;
            return;
        }
        if (unicast && !frame.src().isMulticast() && !p.src().equals(Ipv4Address.ANY)) {
            // Learn the sender from its packet so the answer needs no ARP round trip.
            flush(arp.learn(p.src(), frame.src()), frame.src(), out);
        }
        switch (p.protocol()) {
            case Ipv4Packet.PROTO_ICMP -> icmp(p, unicast, out);
            case Ipv4Packet.PROTO_UDP -> udp(p, unicast, out);
            default -> notForUs++;
        }
    }

    private void icmp(Ipv4Packet p, boolean unicast, List<ByteString> out) {
        IcmpMessage m;
        switch (IcmpMessage.parse(p.payload())) {
            case ParseResult.Ok<IcmpMessage> ok -> m = ok.value();
            case ParseResult.Failed<IcmpMessage> f -> {
                malformed++;
                return;
            }
        }
        if (unicast && m.isEchoRequest()) {
            echoReplies++;
            sendIp(Ipv4Packet.PROTO_ICMP, p.src(), m.echoReply().toBytes(), out);
        }
    }

    private void udp(Ipv4Packet p, boolean unicast, List<ByteString> out) {
        UdpDatagram d;
        switch (UdpDatagram.parse(p.payload(), p.src(), p.dst())) {
            case ParseResult.Ok<UdpDatagram> ok -> d = ok.value();
            case ParseResult.Failed<UdpDatagram> f -> {
                malformed++;
                return;
            }
        }
        UdpHandler h = handlers.get(d.dstPort());
        if (h == null) {
            udpNoPort++;
            if (unicast) {
                ByteString quote = p.toBytes().take(p.headerLength() + UNREACHABLE_QUOTE);
                sendIp(Ipv4Packet.PROTO_ICMP, p.src(), new IcmpMessage(IcmpMessage.DEST_UNREACHABLE, 3, 0, quote).toBytes(), out);
            }
            return;
        }
        udpDelivered++;
        UdpEndpoint from = new UdpEndpoint(p.src(), d.srcPort());
        boolean[] handling = {true};
        UdpSender sender = (srcPort, to, payload) -> {
            if (!handling[0]) {
                throw new IllegalStateException("a handler's sender works only while it handles its datagram; use HostStack.send later");
            }
            sendUdp(srcPort, to, payload, out);
        };
        try {
            h.datagram(from, d.dstPort(), d.payload(), sender);
        } catch (RuntimeException e) {
            handlerErrors++;
            LOG.warn("{}: the handler of UDP port {} failed on a datagram from {}: {}", iface.ip(), d.dstPort(), from, e.toString());
        } finally {
            handling[0] = false;
        }
    }

    private void sendUdp(int srcPort, UdpEndpoint to, ByteString payload, List<ByteString> out) {
        sendIp(Ipv4Packet.PROTO_UDP, to.ip(), new UdpDatagram(srcPort, to.port(), payload).toBytes(iface.ip(), to.ip()), out);
    }

    private void sendIp(int protocol, Ipv4Address dst, ByteString payload, List<ByteString> out) {
        Ipv4Packet p = Ipv4Packet.of(protocol, iface.ip(), dst, nextIdentification++, payload);
        if (dst.equals(Ipv4Address.BROADCAST)) {
            out.add(Frames.ipv4(iface.mac(), MacAddress.BROADCAST, p));
            return;
        }
        MacAddress mac = arp.lookup(dst);
        if (mac != null) {
            out.add(Frames.ipv4(iface.mac(), mac, p));
            return;
        }
        int held = arp.hold(dst, p);
        if (held > 0) {
            unresolvedDropped += held;
        }
        // Ask on the first packet, and again whenever the queue overflows (the answer may have been lost).
        if (held != 0) {
            arpRequested++;
            out.add(Frames.arp(MacAddress.BROADCAST, ArpPacket.request(iface.mac(), iface.ip(), dst)));
        }
    }

    private void flush(List<Ipv4Packet> waiting, MacAddress mac, List<ByteString> out) {
        for (Ipv4Packet p : waiting) {
            out.add(Frames.ipv4(iface.mac(), mac, p));
        }
    }

    /** The neighbours known now (for diagnostics and snapshots). */
    public synchronized Map<Ipv4Address, MacAddress> neighbours() {
        return arp.entries();
    }

    public synchronized StackCounters counters() {
        return new StackCounters(rx, notForUs, malformed, fragments, arpAnswered, arpRequested, echoReplies, udpDelivered,
                udpNoPort, unresolvedDropped, handlerErrors);
    }
}
