package dev.sel4sim.system.assembly;

import dev.sel4sim.system.config.SystemSpec;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.Materializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A host gateway and two echo servers on a virtual switch whose allow list lets the gateway reach only one. */
class NetworkWiringTest {
    static final ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "network-wiring-test");

    @AfterAll
    static void stop() {
        system.terminate();
    }

    static final String SYSTEM = """
            system {
              name = t, board = qemu-arm-virt, cores = 1
              components = [
                { name = gw, kind = ethernet-driver, core = 0, priority = 100
                  settings { mac = "52:54:00:aa:00:01", ip = "10.0.0.1", forwards = [
                    { host-port = 0, to = "10.0.0.2:7" }, { host-port = 0, to = "10.0.0.3:7" } ] } }
                { name = a, kind = udp-server, core = 0, priority = 100, settings { mac = "52:54:00:aa:00:02", ip = "10.0.0.2", echo = [7] } }
                { name = b, kind = udp-server, core = 0, priority = 100, settings { mac = "52:54:00:aa:00:03", ip = "10.0.0.3", echo = [7] } }
                { name = sw, kind = vswitch, core = 0, priority = 100, settings { allow = [ { from = gw, to = [a] } ] } }
              ]
              connections = [ { type = ethernet, name = lan, from = [gw, a, b], to = sw } ]
            }
            """;

    @Test
    void anAllowListLetsThePortReachOnlyItsPeersAndCountsTheRest() throws Exception {
        SystemSpec spec = Systems.loadText(SYSTEM, "t.conf");
        try (NetworkWiring net = NetworkWiring.start(spec, vm -> List.of(), System::nanoTime, Materializer.createMaterializer(system))) {
            int toA = net.gateway("gw").hostPort(0);
            int toB = net.gateway("gw").hostPort(1);
            assertEquals("hi", udp(toA, "hi"), "a is on the gateway's allow list");
            assertNull(udp(toB, "hi"), "b is not");
            List<String> report = net.report();
            // Not even the gateway's ARP request for b reaches b's port: a flood goes to allowed ports only.
            assertTrue(report.contains("switch sw port 2 (b): 0 frames in, 0 out, dropped 0 no route, 0 denied, 0 queue full, 0 malformed"),
                    String.join("\n", report));
            assertTrue(report.stream().anyMatch(l -> l.startsWith("udp server a: StackCounters[rx=") && l.contains("udpDelivered=1")), String.join("\n", report));
        }
    }

    @Test
    void anAllowRuleForAnUncabledPortFailsWithTheSwitchsPorts() {
        SystemSpec spec = Systems.loadText(SYSTEM.replace("from = gw, to = [a]", "from = c, to = [a]"), "t.conf");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NetworkWiring.start(spec, vm -> List.of(), System::nanoTime, Materializer.createMaterializer(system)));
        assertTrue(e.getMessage().contains("switch sw: allow rule 'from = c' is not cabled to it; its ports are [gw, a, b]"), e.getMessage());
    }

    static String udp(int port, String text) throws Exception {
        try (DatagramSocket s = new DatagramSocket()) {
            s.setSoTimeout(2000);
            byte[] b = text.getBytes(StandardCharsets.US_ASCII);
            s.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), port));
            DatagramPacket in = new DatagramPacket(new byte[1500], 1500);
            try {
                s.receive(in);
            } catch (SocketTimeoutException e) {
                return null;
            }
            return new String(in.getData(), 0, in.getLength(), StandardCharsets.US_ASCII);
        }
    }
}
