package dev.sel4sim.servers.net;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HexFormat;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;

class CodecTest {
    static final MacAddress A = MacAddress.parse("52:54:00:00:00:0a");
    static final MacAddress B = MacAddress.parse("52:54:00:00:00:0b");
    static final Ipv4Address IP_A = Ipv4Address.parse("10.0.0.1");
    static final Ipv4Address IP_B = Ipv4Address.parse("10.0.0.2");

    static ByteString hex(String h) {
        return ByteString.fromArray(HexFormat.of().parseHex(h.replace(" ", "")));
    }

    static ByteString flip(ByteString b, int index) {
        byte[] a = b.toArray();
        a[index] ^= 0x01;
        return ByteString.fromArray(a);
    }

    @Test
    void addressesParseAndPrint() {
        assertEquals("52:54:00:00:00:0a", A.toString());
        assertTrue(MacAddress.BROADCAST.isMulticast());
        assertFalse(A.isMulticast());
        assertTrue(MacAddress.parse("01:00:5e:00:00:01").isMulticast());
        assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("52:54:00:00:00"));
        assertEquals("192.168.0.199", Ipv4Address.parse("192.168.0.199").toString());
        assertThrows(IllegalArgumentException.class, () -> Ipv4Address.parse("10.0.0.256"));
        assertThrows(IllegalArgumentException.class, () -> Ipv4Address.parse("10.0..1"));
        Ipv4Prefix p = Ipv4Prefix.parse("10.0.0.0/8");
        assertTrue(p.contains(Ipv4Address.parse("10.200.1.1")));
        assertFalse(p.contains(Ipv4Address.parse("11.0.0.1")));
        assertTrue(Ipv4Prefix.ANY.contains(Ipv4Address.parse("1.2.3.4")));
        assertEquals(32, Ipv4Prefix.parse("10.0.0.1").length());
        assertThrows(IllegalArgumentException.class, () -> Ipv4Prefix.parse("10.0.0.1/8"));
    }

    @Test
    void ethernetRoundTripsAndRefusesShortFrames() {
        ByteString payload = ByteString.fromString("data");
        ByteString bytes = new EthernetFrame(B, A, 0x88B5, payload).toBytes();
        assertEquals(hex("525400 00000b 525400 00000a 88b5").concat(payload), bytes);
        EthernetFrame f = EthernetFrame.parse(bytes).value();
        assertEquals(B, f.dst());
        assertEquals(A, f.src());
        assertEquals(0x88B5, f.etherType());
        assertEquals(payload, f.payload());
        assertEquals(ParseError.Kind.TRUNCATED, EthernetFrame.parse(bytes.take(13)).error().kind());
        assertEquals(ParseError.Kind.UNSUPPORTED, EthernetFrame.parse(hex("ffffffffffff 52540000000a 0040")).error().kind());
    }

    @Test
    void arpRequestAndReply() {
        ArpPacket req = ArpPacket.request(A, IP_A, IP_B);
        ByteString bytes = req.toBytes();
        // htype 1, ptype 0x800, 6, 4, op 1
        assertEquals(hex("0001 0800 06 04 0001"), bytes.take(8));
        assertEquals(req, ArpPacket.parse(bytes).value());
        ArpPacket rep = req.replyFrom(B);
        assertEquals(ArpPacket.REPLY, rep.operation());
        assertEquals(B, rep.senderMac());
        assertEquals(IP_B, rep.senderIp());
        assertEquals(A, rep.targetMac());
        assertEquals(IP_A, rep.targetIp());
        assertEquals(ParseError.Kind.TRUNCATED, ArpPacket.parse(bytes.take(27)).error().kind());
        assertEquals(ParseError.Kind.UNSUPPORTED, ArpPacket.parse(hex("0006").concat(bytes.drop(2))).error().kind());
        assertEquals(ParseError.Kind.BAD_FIELD, ArpPacket.parse(bytes.take(6).concat(hex("0009")).concat(bytes.drop(8))).error().kind());
    }

    @Test
    void ipv4HeaderChecksumMatchesAKnownHeader() {
        // A textbook header (192.168.0.1 -> 192.168.0.199, UDP, total 0x73) whose checksum is 0xb861.
        ByteString header = hex("4500 0073 0000 4000 4011 b861 c0a8 0001 c0a8 00c7");
        ByteString packet = header.concat(ByteString.fromArray(new byte[0x73 - 20]));
        Ipv4Packet p = Ipv4Packet.parse(packet).value();
        assertEquals(Ipv4Packet.PROTO_UDP, p.protocol());
        assertEquals(Ipv4Address.parse("192.168.0.199"), p.dst());
        assertEquals(64, p.ttl());
        assertTrue(p.dontFragment());
        assertEquals(packet, p.toBytes());
        assertEquals(ParseError.Kind.BAD_CHECKSUM, Ipv4Packet.parse(flip(packet, 15)).error().kind());
    }

    @Test
    void ipv4TrimsPaddingAndRefusesBadLengthsAndFragments() {
        ByteString payload = ByteString.fromString("xyz");
        ByteString bytes = Ipv4Packet.of(99, IP_A, IP_B, 7, payload).toBytes();
        ByteString padded = bytes.concat(ByteString.fromArray(new byte[20]));
        assertEquals(payload, Ipv4Packet.parse(padded).value().payload());
        assertEquals(ParseError.Kind.TRUNCATED, Ipv4Packet.parse(bytes.take(bytes.length() - 1)).error().kind());
        assertEquals(ParseError.Kind.TRUNCATED, Ipv4Packet.parse(bytes.take(10)).error().kind());
        assertEquals(ParseError.Kind.BAD_FIELD, Ipv4Packet.parse(withByte(bytes, 0, 0x65)).error().kind());
        assertEquals(ParseError.Kind.BAD_FIELD, Ipv4Packet.parse(withByte(bytes, 0, 0x44)).error().kind());
        // More-fragments flag, checksum fixed up so only the fragment is wrong.
        assertEquals(ParseError.Kind.FRAGMENT, Ipv4Packet.parse(refreshChecksum(withByte(bytes, 6, 0x20))).error().kind());
        // A non-zero offset (the last fragment).
        assertEquals(ParseError.Kind.FRAGMENT, Ipv4Packet.parse(refreshChecksum(withByte(bytes, 7, 0x10))).error().kind());
    }

    static ByteString withByte(ByteString b, int i, int v) {
        byte[] a = b.toArray();
        a[i] = (byte) v;
        return ByteString.fromArray(a);
    }

    static ByteString refreshChecksum(ByteString packet) {
        byte[] a = packet.toArray();
        a[10] = 0;
        a[11] = 0;
        int ihl = (a[0] & 0xF) * 4;
        int cs = InternetChecksum.finish(InternetChecksum.add(0, a, 0, ihl));
        a[10] = (byte) (cs >>> 8);
        a[11] = (byte) cs;
        return ByteString.fromArray(a);
    }

    @Test
    void udpChecksumCoversThePseudoHeader() {
        ByteString payload = ByteString.fromString("hi");
        ByteString bytes = new UdpDatagram(1234, 7, payload).toBytes(IP_A, IP_B);
        // Written out by hand: pseudo-header 0a00 0001 0a00 0002 0011 000a, header 04d2 0007 000a, data 6869.
        long sum = 0x0a00 + 0x0001 + 0x0a00 + 0x0002 + 0x0011 + 0x000a + 0x04d2 + 0x0007 + 0x000a + 0x6869;
        int expected = (int) (~(sum + (sum >>> 16)) & 0xFFFF);
        assertEquals(expected, (bytes.apply(6) & 0xFF) << 8 | (bytes.apply(7) & 0xFF));
        UdpDatagram d = UdpDatagram.parse(bytes, IP_A, IP_B).value();
        assertEquals(new UdpDatagram(1234, 7, payload), d);
        // The same bytes between other addresses do not verify: the pseudo-header counts.
        assertEquals(ParseError.Kind.BAD_CHECKSUM, UdpDatagram.parse(bytes, IP_A, Ipv4Address.parse("10.0.0.3")).error().kind());
        assertEquals(ParseError.Kind.BAD_CHECKSUM, UdpDatagram.parse(flip(bytes, 9), IP_A, IP_B).error().kind());
        // A zero checksum is "none" and accepted even for corrupted data.
        ByteString unchecked = withByte(withByte(flip(bytes, 9), 6, 0), 7, 0);
        assertTrue(UdpDatagram.parse(unchecked, IP_A, IP_B).isOk());
        assertEquals(ParseError.Kind.BAD_FIELD, UdpDatagram.parse(withByte(bytes, 5, 3), IP_A, IP_B).error().kind());
        assertEquals(ParseError.Kind.TRUNCATED, UdpDatagram.parse(withByte(bytes, 5, 40), IP_A, IP_B).error().kind());
        assertEquals(ParseError.Kind.TRUNCATED, UdpDatagram.parse(bytes.take(5), IP_A, IP_B).error().kind());
    }

    @Test
    void icmpEchoReplyKeepsIdentifierSequenceAndData() {
        IcmpMessage req = IcmpMessage.echoRequest(0x1234, 5, ByteString.fromString("ping"));
        ByteString bytes = req.toBytes();
        assertEquals(0, InternetChecksum.finish(InternetChecksum.add(0, bytes, 0, bytes.length())));
        IcmpMessage parsed = IcmpMessage.parse(bytes).value();
        assertTrue(parsed.isEchoRequest());
        assertEquals(0x1234, parsed.identifier());
        assertEquals(5, parsed.sequence());
        IcmpMessage rep = IcmpMessage.parse(parsed.echoReply().toBytes()).value();
        assertEquals(IcmpMessage.ECHO_REPLY, rep.type());
        assertEquals(parsed.restOfHeader(), rep.restOfHeader());
        assertEquals(ByteString.fromString("ping"), rep.data());
        assertEquals(ParseError.Kind.BAD_CHECKSUM, IcmpMessage.parse(flip(bytes, 9)).error().kind());
        assertEquals(ParseError.Kind.TRUNCATED, IcmpMessage.parse(bytes.take(4)).error().kind());
    }

    @Test
    void layersChainThroughFrames() {
        ByteString frame = Frames.udp(A, B, IP_A, 5000, IP_B, 7, 1, ByteString.fromString("hello"));
        ParseResult<UdpDatagram> r = EthernetFrame.parse(frame)
                .then(f -> Ipv4Packet.parse(f.payload()))
                .then(p -> UdpDatagram.parse(p.payload(), p.src(), p.dst()));
        assertEquals(ByteString.fromString("hello"), r.value().payload());
        ParseResult<Ipv4Packet> bad = EthernetFrame.parse(frame.take(20)).then(f -> Ipv4Packet.parse(f.payload()));
        assertEquals("ipv4", bad.error().layer());
    }
}
