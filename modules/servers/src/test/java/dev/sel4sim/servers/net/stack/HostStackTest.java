package dev.sel4sim.servers.net.stack;

import static org.junit.jupiter.api.Assertions.*;

import dev.sel4sim.servers.net.ArpPacket;
import dev.sel4sim.servers.net.EthernetFrame;
import dev.sel4sim.servers.net.Frames;
import dev.sel4sim.servers.net.IcmpMessage;
import dev.sel4sim.servers.net.Ipv4Address;
import dev.sel4sim.servers.net.Ipv4Packet;
import dev.sel4sim.servers.net.MacAddress;
import dev.sel4sim.servers.net.UdpDatagram;
import java.util.List;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;

class HostStackTest {
    static final NetInterface SERVER = NetInterface.of("52:54:00:00:00:02", "10.0.0.2");
    static final MacAddress PEER_MAC = MacAddress.parse("52:54:00:00:00:09");
    static final Ipv4Address PEER_IP = Ipv4Address.parse("10.0.0.9");

    static EthernetFrame only(List<ByteString> frames) {
        assertEquals(1, frames.size(), "frames: " + frames);
        return EthernetFrame.parse(frames.get(0)).value();
    }

    static ByteString udpToServer(int srcPort, int dstPort, String text) {
        return Frames.udp(PEER_MAC, SERVER.mac(), PEER_IP, srcPort, SERVER.ip(), dstPort, 3, ByteString.fromString(text));
    }

    @Test
    void answersArpRequestsForItsAddressOnly() {
        HostStack s = new HostStack(SERVER);
        EthernetFrame f = only(s.receive(Frames.arp(MacAddress.BROADCAST, ArpPacket.request(PEER_MAC, PEER_IP, SERVER.ip()))));
        assertEquals(PEER_MAC, f.dst());
        ArpPacket reply = ArpPacket.parse(f.payload()).value();
        assertEquals(ArpPacket.REPLY, reply.operation());
        assertEquals(SERVER.mac(), reply.senderMac());
        assertEquals(SERVER.ip(), reply.senderIp());
        assertEquals(PEER_MAC, s.neighbours().get(PEER_IP));
        assertTrue(s.receive(Frames.arp(MacAddress.BROADCAST, ArpPacket.request(PEER_MAC, PEER_IP, Ipv4Address.parse("10.0.0.3")))).isEmpty());
        assertEquals(1, s.counters().arpAnswered());
    }

    @Test
    void answersPing() {
        HostStack s = new HostStack(SERVER);
        ByteString ping = Frames.icmp(PEER_MAC, SERVER.mac(), PEER_IP, SERVER.ip(), 5, IcmpMessage.echoRequest(77, 3, ByteString.fromString("abc")));
        EthernetFrame f = only(s.receive(ping));
        Ipv4Packet p = Ipv4Packet.parse(f.payload()).value();
        assertEquals(PEER_IP, p.dst());
        assertEquals(SERVER.ip(), p.src());
        IcmpMessage m = IcmpMessage.parse(p.payload()).value();
        assertEquals(IcmpMessage.ECHO_REPLY, m.type());
        assertEquals(77, m.identifier());
        assertEquals(3, m.sequence());
        assertEquals(ByteString.fromString("abc"), m.data());
        assertEquals(1, s.counters().echoReplies());
    }

    @Test
    void echoAnswersTheSenderFromItsPort() {
        Echo echo = new Echo();
        HostStack s = new HostStack(SERVER).bind(Echo.PORT, echo);
        EthernetFrame f = only(s.receive(udpToServer(40000, 7, "hi")));
        assertEquals(PEER_MAC, f.dst());
        assertEquals(SERVER.mac(), f.src());
        Ipv4Packet p = Ipv4Packet.parse(f.payload()).value();
        UdpDatagram d = UdpDatagram.parse(p.payload(), p.src(), p.dst()).value();
        assertEquals(new UdpDatagram(7, 40000, ByteString.fromString("hi")), d);
        assertEquals(1, echo.echoed());
        assertEquals(1, s.counters().udpDelivered());
    }

    @Test
    void anUnboundPortGetsPortUnreachable() {
        HostStack s = new HostStack(SERVER);
        EthernetFrame f = only(s.receive(udpToServer(40000, 9999, "anyone?")));
        IcmpMessage m = IcmpMessage.parse(Ipv4Packet.parse(f.payload()).value().payload()).value();
        assertEquals(IcmpMessage.DEST_UNREACHABLE, m.type());
        assertEquals(3, m.code());
        // The quote is the original IP header and the UDP header.
        assertEquals(20 + 8, m.data().length());
        assertEquals(1, s.counters().udpNoPort());
    }

    @Test
    void sendingToAnUnknownPeerAsksArpAndSendsOnTheReply() {
        HostStack s = new HostStack(SERVER, 4, 2);
        EthernetFrame req = only(s.send(5000, new UdpEndpoint(PEER_IP, 6000), ByteString.fromString("one")));
        assertEquals(MacAddress.BROADCAST, req.dst());
        assertEquals(PEER_IP, ArpPacket.parse(req.payload()).value().targetIp());
        // A second packet waits without a second request.
        assertTrue(s.send(5000, new UdpEndpoint(PEER_IP, 6000), ByteString.fromString("two")).isEmpty());
        ArpPacket reply = ArpPacket.request(SERVER.mac(), SERVER.ip(), PEER_IP).replyFrom(PEER_MAC);
        List<ByteString> out = s.receive(Frames.arp(SERVER.mac(), reply));
        assertEquals(2, out.size());
        for (int i = 0; i < 2; i++) {
            EthernetFrame f = EthernetFrame.parse(out.get(i)).value();
            assertEquals(PEER_MAC, f.dst());
            Ipv4Packet p = Ipv4Packet.parse(f.payload()).value();
            assertEquals(i == 0 ? "one" : "two", UdpDatagram.parse(p.payload(), p.src(), p.dst()).value().payload().utf8String());
        }
        EthernetFrame direct = only(s.send(5000, new UdpEndpoint(PEER_IP, 6000), ByteString.fromString("three")));
        assertEquals(PEER_MAC, direct.dst());
        assertEquals(1, s.counters().arpRequested());
    }

    @Test
    void aFullWaitQueueDropsTheOldestAndAsksAgain() {
        HostStack s = new HostStack(SERVER, 4, 2);
        UdpEndpoint to = new UdpEndpoint(PEER_IP, 6000);
        assertEquals(1, s.send(1, to, ByteString.fromString("a")).size());
        assertEquals(0, s.send(1, to, ByteString.fromString("b")).size());
        assertEquals(1, s.send(1, to, ByteString.fromString("c")).size());
        assertEquals(1, s.counters().unresolvedDropped());
        assertEquals(2, s.counters().arpRequested());
    }

    @Test
    void badFramesAreCountedNeverThrown() {
        HostStack s = new HostStack(SERVER).bind(7, (from, port, payload, out) -> {
            throw new IllegalStateException("broken service");
        });
        assertTrue(s.receive(ByteString.fromString("x")).isEmpty());
        ByteString good = udpToServer(1, 7, "hi");
        byte[] b = good.toArray();
        b[EthernetFrame.HEADER + 20 + 8] ^= 1; // payload changed, checksum now wrong
        assertTrue(s.receive(ByteString.fromArray(b)).isEmpty());
        assertTrue(s.receive(Frames.udp(PEER_MAC, MacAddress.parse("52:54:00:00:00:03"), PEER_IP, 1, SERVER.ip(), 7, 1, ByteString.emptyByteString())).isEmpty());
        assertTrue(s.receive(udpToServer(1, 7, "boom")).isEmpty());
        StackCounters c = s.counters();
        assertEquals(4, c.rx());
        assertEquals(2, c.malformed());
        assertEquals(1, c.notForUs());
        assertEquals(1, c.handlerErrors());
    }

    @Test
    void aHandlersSenderCannotBeUsedAfterItReturns() {
        UdpSender[] kept = new UdpSender[1];
        HostStack s = new HostStack(SERVER).bind(7, (from, port, payload, out) -> kept[0] = out);
        s.receive(udpToServer(1, 7, "hi"));
        assertThrows(IllegalStateException.class, () -> kept[0].send(7, new UdpEndpoint(PEER_IP, 1), ByteString.emptyByteString()));
    }
}
