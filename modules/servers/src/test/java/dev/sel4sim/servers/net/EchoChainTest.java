package dev.sel4sim.servers.net;

import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.ConfigFactory;
import dev.sel4sim.servers.net.firewall.Firewall;
import dev.sel4sim.servers.net.firewall.FirewallRules;
import dev.sel4sim.servers.net.gateway.Forward;
import dev.sel4sim.servers.net.gateway.GatewayConfig;
import dev.sel4sim.servers.net.gateway.HostUdpGateway;
import dev.sel4sim.servers.net.stack.Echo;
import dev.sel4sim.servers.net.stack.NetInterface;
import dev.sel4sim.servers.net.stack.UdpEndpoint;
import dev.sel4sim.servers.net.stack.UdpServer;
import dev.sel4sim.servers.net.vswitch.SwitchConfig;
import dev.sel4sim.servers.net.vswitch.VirtualSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.testkit.TestSubscriber;
import org.apache.pekko.stream.testkit.javadsl.TestSink;
import org.apache.pekko.stream.testkit.javadsl.TestSource;
import org.apache.pekko.util.ByteString;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.testkit.javadsl.TestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The chain a system file builds: host UDP -> gateway -> firewall -> UDP server -> echo, as streams. */
class EchoChainTest {
    static final ActorSystem system = ActorSystem.create("echo-chain-test");
    static final NetInterface GW = NetInterface.of("52:54:00:00:00:01", "10.0.0.1");
    static final NetInterface SERVER = NetInterface.of("52:54:00:00:00:02", "10.0.0.2");

    @AfterAll
    static void stop() {
        TestKit.shutdownActorSystem(system);
    }

    @Test
    void hostSendsHiAndGetsHiWhileADeniedPortGetsNothing() throws Exception {
        Firewall firewall = new Firewall(FirewallRules.fromConfig(ConfigFactory.parseString("""
                default = deny
                rules = [ { action = allow, protocol = udp, dst-port = 7 } ]
                """)));
        Echo echo = new Echo();
        UdpServer server = new UdpServer(SERVER).bind(Echo.PORT, echo).bind(9, new Echo());
        GatewayConfig cfg = GatewayConfig.loopback(GW, List.of(
                new Forward(0, new UdpEndpoint(SERVER.ip(), 7)),
                new Forward(0, new UdpEndpoint(SERVER.ip(), 9))));
        try (HostUdpGateway gateway = HostUdpGateway.start(cfg);
             DatagramSocket host = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            gateway.flow().join(firewall.bidi().join(server.flow())).run(system);
            host.setSoTimeout(5000);

            send(host, gateway.hostPort(0), "hi");
            assertEquals("hi", receive(host));
            assertEquals(1, echo.echoed());
            assertEquals(1, firewall.counters().perRule().get(0));
            assertTrue(firewall.counters().arp() >= 1, "the ARP exchange passed the firewall");

            send(host, gateway.hostPort(1), "let me in");
            host.setSoTimeout(500);
            assertThrows(SocketTimeoutException.class, () -> receive(host));
            assertEquals(1, firewall.counters().defaultPolicy());
            assertEquals(0, server.counters().udpNoPort());
            assertEquals(1, server.counters().udpDelivered());

            host.setSoTimeout(5000);
            send(host, gateway.hostPort(0), "again");
            assertEquals("again", receive(host));
        }
    }

    @Test
    void echoAcrossTheVirtualSwitchWhileAThirdPortSeesOnlyTheFloods() throws Exception {
        VirtualSwitch sw = new VirtualSwitch(SwitchConfig.open(3), () -> 0);
        Echo echo = new Echo();
        UdpServer server = new UdpServer(SERVER).bind(Echo.PORT, echo);
        TestSubscriber.Probe<ByteString> bystander = TestSource.<ByteString>probe(system).via(sw.port(2))
                .toMat(TestSink.probe(system), Keep.right()).run(system);
        bystander.request(100);
        GatewayConfig cfg = GatewayConfig.loopback(GW, List.of(new Forward(0, new UdpEndpoint(SERVER.ip(), 7))));
        try (HostUdpGateway gateway = HostUdpGateway.start(cfg);
             DatagramSocket host = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            sw.port(1).join(server.flow()).run(system);
            gateway.flow().join(sw.port(0)).run(system);
            host.setSoTimeout(5000);
            send(host, gateway.hostPort(0), "hi");
            assertEquals("hi", receive(host));
            send(host, gateway.hostPort(0), "twice");
            assertEquals("twice", receive(host));
        }
        // Only the gateway's ARP request was flooded; everything after was switched.
        EthernetFrame seen = EthernetFrame.parse(bystander.expectNext()).value();
        assertEquals(MacAddress.BROADCAST, seen.dst());
        assertEquals(EthernetFrame.TYPE_ARP, seen.etherType());
        bystander.expectNoMessage(java.time.Duration.ofMillis(200));
        assertEquals(2, echo.echoed());
        assertEquals(sw.counters(0).rx(), sw.counters(1).tx());
        assertEquals(1, sw.counters(2).tx());
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
}
