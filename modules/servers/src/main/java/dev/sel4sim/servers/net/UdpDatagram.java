package dev.sel4sim.servers.net;

import org.apache.pekko.util.ByteString;

/**
 * A UDP datagram (RFC 768). Its checksum covers the IPv4 pseudo-header, so parsing and writing
 * take the packet's addresses. A zero checksum means "not computed" and is accepted.
 */
public record UdpDatagram(int srcPort, int dstPort, ByteString payload) {
    public static final int HEADER = 8;

    public UdpDatagram {
        if (srcPort < 0 || srcPort > 0xFFFF || dstPort < 0 || dstPort > 0xFFFF) {
            throw new IllegalArgumentException("UDP ports " + srcPort + " -> " + dstPort + " outside 0..65535");
        }
        if (HEADER + payload.length() > 0xFFFF) {
            throw new IllegalArgumentException("UDP payload of " + payload.length() + " bytes is too large");
        }
    }

    public static ParseResult<UdpDatagram> parse(ByteString bytes, Ipv4Address src, Ipv4Address dst) {
        if (bytes.length() < HEADER) {
            return ParseError.truncated("udp", HEADER, bytes.length());
        }
        Bytes b = new Bytes(bytes);
        int length = b.u16(4);
        if (length < HEADER) {
            return ParseError.fail("udp", ParseError.Kind.BAD_FIELD, "length " + length + " below the 8-byte header");
        }
        if (length > bytes.length()) {
            return ParseError.truncated("udp", length, bytes.length());
        }
        if (b.u16(6) != 0) {
            long sum = InternetChecksum.add(InternetChecksum.pseudoHeader(src, dst, Ipv4Packet.PROTO_UDP, length), bytes, 0, length);
            if (InternetChecksum.finish(sum) != 0) {
                return ParseError.fail("udp", ParseError.Kind.BAD_CHECKSUM, "checksum 0x" + Integer.toHexString(b.u16(6)) + " does not verify");
            }
        }
        return ParseResult.ok(new UdpDatagram(b.u16(0), b.u16(2), bytes.slice(HEADER, length)));
    }

    /** The datagram with its checksum over the pseudo-header of {@code src -> dst}. */
    public ByteString toBytes(Ipv4Address src, Ipv4Address dst) {
        int length = HEADER + payload.length();
        byte[] h = new byte[HEADER];
        Bytes.put16(h, 0, srcPort);
        Bytes.put16(h, 2, dstPort);
        Bytes.put16(h, 4, length);
        long sum = InternetChecksum.add(InternetChecksum.pseudoHeader(src, dst, Ipv4Packet.PROTO_UDP, length), h, 0, HEADER);
        int cs = InternetChecksum.finish(InternetChecksum.add(sum, payload, 0, payload.length()));
        // A computed zero is sent as all ones: zero on the wire means "no checksum".
        Bytes.put16(h, 6, cs == 0 ? 0xFFFF : cs);
        return ByteString.fromArrayUnsafe(h).concat(payload);
    }
}
