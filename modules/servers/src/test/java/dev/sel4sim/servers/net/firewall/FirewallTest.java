package dev.sel4sim.servers.net.firewall;

import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.ConfigFactory;
import dev.sel4sim.servers.net.ArpPacket;
import dev.sel4sim.servers.net.EthernetFrame;
import dev.sel4sim.servers.net.Frames;
import dev.sel4sim.servers.net.IcmpMessage;
import dev.sel4sim.servers.net.Ipv4Address;
import dev.sel4sim.servers.net.Ipv4Packet;
import dev.sel4sim.servers.net.MacAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.testkit.javadsl.TestKit;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class FirewallTest {
    static final ActorSystem system = ActorSystem.create("firewall-test");
    static final MacAddress OUT = MacAddress.parse("02:00:00:00:00:01");
    static final MacAddress IN = MacAddress.parse("02:00:00:00:00:02");
    static final Ipv4Address HOST = Ipv4Address.parse("10.0.0.2");
    static final Ipv4Address LAN_PEER = Ipv4Address.parse("10.0.0.9");
    static final Ipv4Address REMOTE = Ipv4Address.parse("192.168.1.5");

    @AfterAll
    static void stop() {
        TestKit.shutdownActorSystem(system);
    }

    static FirewallRules parse(String hocon) {
        return FirewallRules.fromConfig(ConfigFactory.parseString(hocon));
    }

    static ByteString udp(Ipv4Address src, int srcPort, int dstPort) {
        return Frames.udp(OUT, IN, src, srcPort, HOST, dstPort, 1, ByteString.fromString("d"));
    }

    static final String RULES = """
            default = deny
            rules = [
              { action = deny, protocol = udp, src-port = "6000-6999", dst-port = 7 }
              { action = allow, protocol = udp, dst-port = 7 }
              { action = allow, protocol = icmp, src = "10.0.0.0/24" }
              { action = allow, protocol = udp, dst-port = "1000-2000", src = 10.0.0.9 }
            ]
            """;

    @Test
    void firstMatchingRuleWinsAndEachRuleCounts() {
        Firewall fw = new Firewall(parse(RULES));
        assertEquals(new Verdict(false, Verdict.Basis.RULE, 0), fw.check(udp(REMOTE, 6500, 7)));
        assertEquals(new Verdict(true, Verdict.Basis.RULE, 1), fw.check(udp(REMOTE, 5000, 7)));
        assertEquals(new Verdict(true, Verdict.Basis.RULE, 3), fw.check(udp(LAN_PEER, 5000, 1500)));
        assertEquals(new Verdict(false, Verdict.Basis.DEFAULT, -1), fw.check(udp(REMOTE, 5000, 1500)));
        assertEquals(new Verdict(false, Verdict.Basis.DEFAULT, -1), fw.check(udp(LAN_PEER, 5000, 9)));
        ByteString ping = Frames.icmp(OUT, IN, LAN_PEER, HOST, 1, IcmpMessage.echoRequest(1, 1, ByteString.emptyByteString()));
        assertTrue(fw.check(ping).pass());
        ByteString remotePing = Frames.icmp(OUT, IN, REMOTE, HOST, 1, IcmpMessage.echoRequest(1, 1, ByteString.emptyByteString()));
        assertFalse(fw.check(remotePing).pass());
        assertEquals(new FirewallCounters(List.of(1L, 1L, 1L, 1L), 3, 0, 0, 0), fw.counters());
    }

    @Test
    void arpPassesWhileMalformedFramesAndFragmentsAreDroppedAndCounted() {
        Firewall fw = new Firewall(parse("default = deny"));
        assertTrue(fw.check(Frames.arp(MacAddress.BROADCAST, ArpPacket.request(OUT, REMOTE, HOST))).pass());
        assertFalse(fw.check(ByteString.fromString("tiny")).pass());
        ByteString frame = udp(REMOTE, 1, 7);
        byte[] b = frame.toArray();
        b[b.length - 1] ^= 1; // corrupt the UDP payload: checksum fails
        assertFalse(fw.check(ByteString.fromArray(b)).pass());
        ByteString fragment = Frames.ipv4(OUT, IN, new Ipv4Packet(0, 9, false, 64, Ipv4Packet.PROTO_UDP, REMOTE, HOST,
                ByteString.emptyByteString(), ByteString.fromString("12345678"))).toArray() instanceof byte[] raw
                ? withMoreFragments(raw) : null;
        assertEquals(Verdict.Basis.FRAGMENT, fw.check(fragment).basis());
        FirewallCounters c = fw.counters();
        assertEquals(1, c.arp());
        assertEquals(2, c.malformed());
        assertEquals(1, c.fragments());
        Firewall open = new Firewall(parse("default = allow"));
        assertTrue(open.check(new EthernetFrame(IN, OUT, 0x86DD, ByteString.fromString("v6")).toBytes()).pass());
        assertEquals(1, open.counters().defaultPolicy());
    }

    static ByteString withMoreFragments(byte[] frame) {
        int ip = EthernetFrame.HEADER;
        frame[ip + 6] |= 0x20;
        frame[ip + 10] = 0;
        frame[ip + 11] = 0;
        long sum = 0;
        for (int i = 0; i < 20; i += 2) {
            sum += (frame[ip + i] & 0xFF) << 8 | (frame[ip + i + 1] & 0xFF);
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        int cs = (int) (~sum & 0xFFFF);
        frame[ip + 10] = (byte) (cs >>> 8);
        frame[ip + 11] = (byte) cs;
        return ByteString.fromArray(frame);
    }

    @Test
    void asAFlowOnlyPassingFramesComeOut() throws Exception {
        Firewall fw = new Firewall(parse(RULES));
        List<ByteString> in = List.of(udp(REMOTE, 5000, 7), udp(REMOTE, 5000, 8), udp(REMOTE, 6001, 7), udp(LAN_PEER, 4, 1000));
        List<ByteString> out = Source.from(in).via(fw.flow()).runWith(Sink.seq(), system).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertEquals(List.of(in.get(0), in.get(3)), out);
        assertEquals(2, fw.counters().defaultPolicy() + fw.counters().perRule().get(0));
    }

    @Test
    void configErrorsNameTheRuleAndTheField() {
        FirewallConfigError e = assertThrows(FirewallConfigError.class,
                () -> parse("rules = [\n  { action = allow }\n  { action = allow, protocol = udp, dst-port = 70000 }\n]"));
        assertEquals(1, e.ruleIndex());
        assertEquals("dst-port", e.field());
        assertTrue(e.getMessage().contains("rule 1") && e.getMessage().contains("dst-port") && e.getMessage().contains("70000"), e.getMessage());
        // The origin names the source and the rule's line (3 here).
        assertTrue(e.getMessage().startsWith("String: 3:"), e.getMessage());

        e = assertThrows(FirewallConfigError.class, () -> parse("rules = [ { action = permit } ]"));
        assertEquals("action", e.field());
        assertTrue(e.getMessage().contains("allow"), e.getMessage());
        e = assertThrows(FirewallConfigError.class, () -> parse("rules = [ { action = allow, dst-port = 7 } ]"));
        assertEquals("dst-port", e.field());
        e = assertThrows(FirewallConfigError.class, () -> parse("rules = [ { action = allow, dest = \"10.0.0.1\" } ]"));
        assertEquals("dest", e.field());
        e = assertThrows(FirewallConfigError.class, () -> parse("rules = [ { action = deny }, { action = allow }, { action = deny, src = \"10.0.0.300/8\" } ]"));
        assertEquals(2, e.ruleIndex());
        assertEquals("src", e.field());
        assertEquals("action", assertThrows(FirewallConfigError.class, () -> parse("rules = [ { protocol = udp } ]")).field());
        assertEquals("protocol", assertThrows(FirewallConfigError.class, () -> parse("rules = [ { action = deny, protocol = sctp } ]")).field());
        assertEquals("default", assertThrows(FirewallConfigError.class, () -> parse("default = maybe")).field());
        assertEquals("rules", assertThrows(FirewallConfigError.class, () -> parse("rules = 3")).field());
    }
}
