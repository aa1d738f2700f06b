package dev.sel4sim.servers.net;

import org.apache.pekko.util.ByteString;

/** An ARP packet for IPv4 over Ethernet (RFC 826): request or reply. */
public record ArpPacket(int operation, MacAddress senderMac, Ipv4Address senderIp, MacAddress targetMac, Ipv4Address targetIp) {
    public static final int REQUEST = 1;
    public static final int REPLY = 2;
    public static final int LENGTH = 28;

    public ArpPacket {
        if (operation != REQUEST && operation != REPLY) {
            throw new IllegalArgumentException("ARP operation " + operation + " is neither request (1) nor reply (2)");
        }
    }

    public static ArpPacket request(MacAddress senderMac, Ipv4Address senderIp, Ipv4Address targetIp) {
        return new ArpPacket(REQUEST, senderMac, senderIp, MacAddress.ZERO, targetIp);
    }

    /** The reply to this request, sent by the owner of {@code ownMac}. */
    public ArpPacket replyFrom(MacAddress ownMac) {
        return new ArpPacket(REPLY, ownMac, targetIp, senderMac, senderIp);
    }

    public static ParseResult<ArpPacket> parse(ByteString bytes) {
        if (bytes.length() < LENGTH) {
            return ParseError.truncated("arp", LENGTH, bytes.length());
        }
        Bytes b = new Bytes(bytes);
        int htype = b.u16(0), ptype = b.u16(2), hlen = b.u8(4), plen = b.u8(5), op = b.u16(6);
        if (htype != 1 || ptype != EthernetFrame.TYPE_IPV4 || hlen != 6 || plen != 4) {
            return ParseError.fail("arp", ParseError.Kind.UNSUPPORTED,
                    "hardware type " + htype + " / protocol 0x" + Integer.toHexString(ptype) + " / lengths " + hlen + "," + plen + "; only IPv4 over Ethernet (1 / 0x800 / 6,4)");
        }
        if (op != REQUEST && op != REPLY) {
            return ParseError.fail("arp", ParseError.Kind.BAD_FIELD, "operation " + op + " is neither request (1) nor reply (2)");
        }
        return ParseResult.ok(new ArpPacket(op, MacAddress.read(b, 8), new Ipv4Address(b.s32(14)), MacAddress.read(b, 18), new Ipv4Address(b.s32(24))));
    }

    public ByteString toBytes() {
        byte[] o = new byte[LENGTH];
        Bytes.put16(o, 0, 1);
        Bytes.put16(o, 2, EthernetFrame.TYPE_IPV4);
        o[4] = 6;
        o[5] = 4;
        Bytes.put16(o, 6, operation);
        senderMac.write(o, 8);
        senderIp.write(o, 14);
        targetMac.write(o, 18);
        targetIp.write(o, 24);
        return ByteString.fromArrayUnsafe(o);
    }
}
