package dev.sel4sim.servers.net.firewall;

import dev.sel4sim.servers.net.Ipv4Packet;
import dev.sel4sim.servers.net.Ipv4Prefix;

/**
 * One rule: an IPv4 packet matches when its protocol (or any, {@code protocol == -1}), source and
 * destination addresses and, for UDP and TCP, its ports all match. {@code origin} says where the
 * rule was written (file and line), for counters and messages.
 */
public record FirewallRule(Action action, int protocol, Ipv4Prefix src, Ipv4Prefix dst, PortRange srcPorts, PortRange dstPorts, String origin) {
    public static final int ANY_PROTOCOL = -1;

    public FirewallRule {
        if (protocol < ANY_PROTOCOL || protocol > 255) {
            throw new IllegalArgumentException("protocol " + protocol + " is outside 0..255");
        }
        boolean portsGiven = !srcPorts.equals(PortRange.ANY) || !dstPorts.equals(PortRange.ANY);
        if (portsGiven && protocol != Ipv4Packet.PROTO_UDP && protocol != Ipv4Packet.PROTO_TCP) {
            throw new IllegalArgumentException("port ranges need protocol udp or tcp");
        }
    }

    /** An allow or deny rule for {@code protocol} to destination ports {@code dstPorts}, from anywhere. */
    public static FirewallRule ports(Action action, int protocol, PortRange dstPorts) {
        return new FirewallRule(action, protocol, Ipv4Prefix.ANY, Ipv4Prefix.ANY, PortRange.ANY, dstPorts, "");
    }

    /** Whether the rule covers a packet; {@code srcPort}/{@code dstPort} are -1 when the protocol has none. */
    public boolean matches(Ipv4Packet p, int srcPort, int dstPort) {
        if (protocol != ANY_PROTOCOL && p.protocol() != protocol) {
            return false;
        }
        if (!src.contains(p.src()) || !dst.contains(p.dst())) {
            return false;
        }
        if (srcPort < 0) {
            return srcPorts.equals(PortRange.ANY) && dstPorts.equals(PortRange.ANY);
        }
        return srcPorts.contains(srcPort) && dstPorts.contains(dstPort);
    }
}
