package dev.sel4sim.servers.net;

import org.apache.pekko.util.ByteString;

/** Builds whole Ethernet frames from the layers, for stacks and tests. */
public final class Frames {
    private Frames() {
    }

    public static ByteString arp(MacAddress ethDst, ArpPacket arp) {
        return new EthernetFrame(ethDst, arp.senderMac(), EthernetFrame.TYPE_ARP, arp.toBytes()).toBytes();
    }

    public static ByteString ipv4(MacAddress srcMac, MacAddress dstMac, Ipv4Packet packet) {
        return new EthernetFrame(dstMac, srcMac, EthernetFrame.TYPE_IPV4, packet.toBytes()).toBytes();
    }

    public static ByteString udp(MacAddress srcMac, MacAddress dstMac, Ipv4Address srcIp, int srcPort,
                                 Ipv4Address dstIp, int dstPort, int identification, ByteString payload) {
        ByteString udp = new UdpDatagram(srcPort, dstPort, payload).toBytes(srcIp, dstIp);
        return ipv4(srcMac, dstMac, Ipv4Packet.of(Ipv4Packet.PROTO_UDP, srcIp, dstIp, identification, udp));
    }

    public static ByteString icmp(MacAddress srcMac, MacAddress dstMac, Ipv4Address srcIp, Ipv4Address dstIp,
                                  int identification, IcmpMessage message) {
        return ipv4(srcMac, dstMac, Ipv4Packet.of(Ipv4Packet.PROTO_ICMP, srcIp, dstIp, identification, message.toBytes()));
    }
}
