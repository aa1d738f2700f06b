package dev.sel4sim.servers.net.gateway;

import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.ConfigFactory;
import dev.sel4sim.servers.net.ArpPacket;
import dev.sel4sim.servers.net.EthernetFrame;
import dev.sel4sim.servers.net.Frames;
import dev.sel4sim.servers.net.Ipv4Address;
import dev.sel4sim.servers.net.Ipv4Packet;
import dev.sel4sim.servers.net.UdpDatagram;
import dev.sel4sim.servers.net.stack.NetInterface;
import dev.sel4sim.servers.net.stack.UdpEndpoint;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.testkit.TestPublisher;
import org.apache.pekko.stream.testkit.TestSubscriber;
import org.apache.pekko.stream.testkit.javadsl.TestSink;
import org.apache.pekko.stream.testkit.javadsl.TestSource;
import org.apache.pekko.testkit.javadsl.TestKit;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class HostUdpGatewayTest {
    static final ActorSystem system = ActorSystem.create("gateway-test");
    static final NetInterface GW = NetInterface.of("52:54:00:00:00:01", "10.0.0.1");
    static final NetInterface TARGET = NetInterface.of("52:54:00:00:00:02", "10.0.0.2");

    @AfterAll
    static void stop() {
        TestKit.shutdownActorSystem(system);
    }

    static GatewayConfig config(int... hostPorts) {
        List<Forward> fs = new java.util.ArrayList<>();
        for (int p : hostPorts) {
            fs.add(new Forward(p, new UdpEndpoint(TARGET.ip(), 7)));
        }
        return GatewayConfig.loopback(GW, fs);
    }

    record Link(TestPublisher.Probe<ByteString> toGateway, TestSubscriber.Probe<ByteString> fromGateway) {}

    static Link attach(HostUdpGateway g) {
        Pair<TestPublisher.Probe<ByteString>, TestSubscriber.Probe<ByteString>> p = TestSource.<ByteString>probe(system)
                .via(g.flow()).toMat(TestSink.probe(system), Keep.both()).run(system);
        p.second().request(100);
        return new Link(p.first(), p.second());
    }

    static void eventually(Runnable check) throws InterruptedException {
        long deadline = System.nanoTime() + 3_000_000_000L;
        while (true) {
            try {
                check.run();
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(5);
            }
        }
    }

    static void send(DatagramSocket s, int port, String text) throws Exception {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        s.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), port));
    }

    static String receive(DatagramSocket s) throws Exception {
        DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
        s.receive(p);
        return new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
    }

    /** Receives a UDP frame from the gateway, answering its ARP request first if one comes. */
    static Pair<Ipv4Packet, UdpDatagram> nextUdp(Link link) {
        while (true) {
            EthernetFrame f = EthernetFrame.parse(link.fromGateway().expectNext()).value();
            if (f.etherType() == EthernetFrame.TYPE_ARP) {
                ArpPacket req = ArpPacket.parse(f.payload()).value();
                assertEquals(TARGET.ip(), req.targetIp());
                link.toGateway().sendNext(Frames.arp(f.src(), req.replyFrom(TARGET.mac())));
                continue;
            }
            assertEquals(TARGET.mac(), f.dst());
            assertEquals(GW.mac(), f.src());
            Ipv4Packet p = Ipv4Packet.parse(f.payload()).value();
            return Pair.create(p, UdpDatagram.parse(p.payload(), p.src(), p.dst()).value());
        }
    }

    @Test
    void aHostDatagramBecomesAFrameAndTheAnswerGoesBackToTheSameHostPeer() throws Exception {
        try (HostUdpGateway g = HostUdpGateway.start(config(0)); DatagramSocket host = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            host.setSoTimeout(3000);
            Link link = attach(g);
            send(host, g.hostPort(0), "hello");
            Pair<Ipv4Packet, UdpDatagram> in = nextUdp(link);
            assertEquals(GW.ip(), in.first().src());
            assertEquals(TARGET.ip(), in.first().dst());
            assertEquals(7, in.second().dstPort());
            assertEquals("hello", in.second().payload().utf8String());
            int gwPort = in.second().srcPort();
            assertTrue(gwPort >= 49152, "gateway port " + gwPort);

            // An answer from somewhere else than the target is not passed to the host.
            link.toGateway().sendNext(Frames.udp(TARGET.mac(), GW.mac(), Ipv4Address.parse("10.0.0.3"), 7, GW.ip(), gwPort, 1, ByteString.fromString("stray")));
            link.toGateway().sendNext(Frames.udp(TARGET.mac(), GW.mac(), TARGET.ip(), 7, GW.ip(), gwPort, 2, ByteString.fromString("answer")));
            assertEquals("answer", receive(host));
            // The counter follows the socket send, so it may lag the datagram by a moment.
            eventually(() -> assertEquals(1, g.counters().toHost()));
            assertEquals(1, g.counters().stray());
            assertEquals(1, g.counters().fromHost());

            // A second host peer gets its own gateway port.
            try (DatagramSocket other = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                send(other, g.hostPort(0), "second");
                Pair<Ipv4Packet, UdpDatagram> in2 = nextUdp(link);
                assertNotEquals(gwPort, in2.second().srcPort());
                assertEquals(2, g.flows());
            }
        }
    }

    @Test
    void oneLinkAtATimeAndASecondAttachLeavesTheFirstInPlace() throws Exception {
        try (HostUdpGateway g = HostUdpGateway.start(config(0)); DatagramSocket host = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Link link = attach(g);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> attach(g));
            assertTrue(e.getMessage().contains("already has a link"), e.getMessage());
            send(host, g.hostPort(0), "still here");
            EthernetFrame arp = EthernetFrame.parse(link.fromGateway().expectNext()).value();
            assertEquals(EthernetFrame.TYPE_ARP, arp.etherType());
        }
    }

    @Test
    void withoutALinkDatagramsAreDroppedAndCounted() throws Exception {
        try (HostUdpGateway g = HostUdpGateway.start(config(0)); DatagramSocket host = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            send(host, g.hostPort(0), "nobody listens");
            eventually(() -> assertEquals(1, g.counters().droppedNoLink()));
        }
    }

    @Test
    void aPortInUseIsAClearErrorAndNothingStaysBound() throws Exception {
        try (DatagramSocket taken = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            int free = probe.getLocalPort();
            probe.close();
            int busy = taken.getLocalPort();
            GatewayBindError e = assertThrows(GatewayBindError.class, () -> HostUdpGateway.start(config(free, busy)));
            assertTrue(e.getMessage().contains("127.0.0.1:" + busy) && e.getMessage().contains("in use")
                    && e.getMessage().contains("10.0.0.2:7"), e.getMessage());
            // The first forward's socket was closed again.
            try (DatagramSocket again = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), free))) {
                assertEquals(free, again.getLocalPort());
            }
        }
    }

    @Test
    @SuppressWarnings("try") // closed twice on purpose: close is idempotent
    void closeReleasesTheHostPorts() throws Exception {
        HostUdpGateway g = HostUdpGateway.start(config(0));
        int port = g.hostPort(0);
        g.close();
        g.close();
        try (DatagramSocket again = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
            assertEquals(port, again.getLocalPort());
        }
    }

    @Test
    void configReadsForwardsAndNamesBadOnes() {
        GatewayConfig c = GatewayConfig.fromConfig(ConfigFactory.parseString(
                "mac = \"52:54:00:00:00:01\", ip = 10.0.0.1, forwards = [ { host-port = 5555, to = \"10.0.0.2:7\" } ]"));
        assertEquals(new Forward(5555, new UdpEndpoint(TARGET.ip(), 7)), c.forwards().get(0));
        assertEquals("127.0.0.1", c.hostAddress());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GatewayConfig.fromConfig(ConfigFactory.parseString(
                "mac = \"52:54:00:00:00:01\", ip = 10.0.0.1, forwards = [ { host-port = 5555, to = \"10.0.0.2:7\" }, { host-port = 5556, to = \"10.0.0.2\" } ]")));
        assertTrue(e.getMessage().contains("forward 1") && e.getMessage().contains("10.0.0.2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> GatewayConfig.fromConfig(ConfigFactory.parseString("ip = 10.0.0.1, forwards = []")));
        assertTrue(e.getMessage().contains("mac"), e.getMessage());
    }
}
