package dev.sel4sim.servers.net.firewall;

import dev.sel4sim.servers.net.EthernetFrame;
import dev.sel4sim.servers.net.Ipv4Packet;
import dev.sel4sim.servers.net.ParseError;
import dev.sel4sim.servers.net.ParseResult;
import dev.sel4sim.servers.net.UdpDatagram;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.BidiFlow;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.util.ByteString;

/**
 * A stateless packet filter on Ethernet frames. IPv4 packets are checked against the rules in
 * order (first match wins), then the default policy; ARP always passes so that neighbours can
 * find each other; other EtherTypes get the default policy. Malformed frames and IPv4 fragments
 * (whose ports cannot be seen) are dropped and counted. Thread-safe; counters are plain fields.
 */
public final class Firewall {
    private final FirewallRules rules;
    private final long[] perRule;
    private long defaultHits, arp, malformed, fragments;

    public Firewall(FirewallRules rules) {
        this.rules = rules;
        this.perRule = new long[rules.rules().size()];
    }

    public FirewallRules rules() {
        return rules;
    }

    /** Decides and counts one frame. */
    public synchronized Verdict check(ByteString frame) {
        Verdict v = decide(frame);
        switch (v.basis()) {
            case RULE -> perRule[v.rule()]++;
            case DEFAULT -> defaultHits++;
            case ARP -> arp++;
            case MALFORMED -> malformed++;
            case FRAGMENT -> fragments++;
        }
        return v;
    }

    private Verdict decide(ByteString bytes) {
        if (!(EthernetFrame.parse(bytes) instanceof ParseResult.Ok<EthernetFrame>(EthernetFrame frame))) {
            return Verdict.MALFORMED;
        }
        if (frame.etherType() == EthernetFrame.TYPE_ARP) {
            return Verdict.ARP;
        }
        if (frame.etherType() != EthernetFrame.TYPE_IPV4) {
            return byDefault();
        }
        Ipv4Packet p;
        switch (Ipv4Packet.parse(frame.payload())) {
            case ParseResult.Ok<Ipv4Packet> ok -> p = ok.value();
            case ParseResult.Failed<Ipv4Packet> f -> {
                return f.error().kind() == ParseError.Kind.FRAGMENT ? Verdict.FRAGMENT : Verdict.MALFORMED;
            }
        }
        int srcPort = -1, dstPort = -1;
        if (p.protocol() == Ipv4Packet.PROTO_UDP) {
            if (!(UdpDatagram.parse(p.payload(), p.src(), p.dst()) instanceof ParseResult.Ok<UdpDatagram>(UdpDatagram d))) {
                return Verdict.MALFORMED;
            }
            srcPort = d.srcPort();
            dstPort = d.dstPort();
        } else if (p.protocol() == Ipv4Packet.PROTO_TCP) {
            // Only the ports are needed, and they are the first four bytes of the TCP header.
            if (p.payload().length() < 20) {
                return Verdict.MALFORMED;
            }
            srcPort = (p.payload().apply(0) & 0xFF) << 8 | (p.payload().apply(1) & 0xFF);
            dstPort = (p.payload().apply(2) & 0xFF) << 8 | (p.payload().apply(3) & 0xFF);
        }
        List<FirewallRule> list = rules.rules();
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).matches(p, srcPort, dstPort)) {
                return new Verdict(list.get(i).action() == Action.ALLOW, Verdict.Basis.RULE, i);
            }
        }
        return byDefault();
    }

    private Verdict byDefault() {
        return new Verdict(rules.defaultAction() == Action.ALLOW, Verdict.Basis.DEFAULT, -1);
    }

    public synchronized FirewallCounters counters() {
        List<Long> r = new ArrayList<>(perRule.length);
        for (long n : perRule) {
            r.add(n);
        }
        return new FirewallCounters(r, defaultHits, arp, malformed, fragments);
    }

    /** The frames that pass, in order; the rest are dropped and counted. */
    public Flow<ByteString, ByteString, NotUsed> flow() {
        return Flow.of(ByteString.class).filter(f -> check(f).pass());
    }

    /**
     * The firewall between an outside link (top: frames coming in, filtered) and an inside host
     * (bottom: its frames going out, passed unchanged). {@code firewall.bidi().join(host)} is the
     * protected host as one flow.
     */
    public BidiFlow<ByteString, ByteString, ByteString, ByteString, NotUsed> bidi() {
        return BidiFlow.fromFlows(flow(), Flow.of(ByteString.class));
    }
}
