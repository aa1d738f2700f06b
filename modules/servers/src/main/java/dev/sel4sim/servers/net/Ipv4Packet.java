package dev.sel4sim.servers.net;

import org.apache.pekko.util.ByteString;

/**
 * An IPv4 packet (RFC 791). Parsing checks the version, header length, total length and header
 * checksum, trims link-layer padding, and refuses fragments ({@link ParseError.Kind#FRAGMENT}):
 * there is no reassembly. Options are kept as bytes and written back unchanged.
 */
public record Ipv4Packet(int tos, int identification, boolean dontFragment, int ttl, int protocol,
                         Ipv4Address src, Ipv4Address dst, ByteString options, ByteString payload) {
    public static final int PROTO_ICMP = 1;
    public static final int PROTO_TCP = 6;
    public static final int PROTO_UDP = 17;
    public static final int MIN_HEADER = 20;
    public static final int DEFAULT_TTL = 64;

    public Ipv4Packet {
        if (options.length() % 4 != 0 || options.length() > 40) {
            throw new IllegalArgumentException("IPv4 options must be a multiple of 4 bytes, at most 40; got " + options.length());
        }
        if (MIN_HEADER + options.length() + payload.length() > 0xFFFF) {
            throw new IllegalArgumentException("IPv4 packet of " + (MIN_HEADER + options.length() + payload.length()) + " bytes exceeds 65535");
        }
    }

    /** A packet with the usual defaults: no options, TTL 64, Don't Fragment set. */
    public static Ipv4Packet of(int protocol, Ipv4Address src, Ipv4Address dst, int identification, ByteString payload) {
        return new Ipv4Packet(0, identification & 0xFFFF, true, DEFAULT_TTL, protocol, src, dst, ByteString.emptyByteString(), payload);
    }

    public static ParseResult<Ipv4Packet> parse(ByteString bytes) {
        if (bytes.length() < MIN_HEADER) {
            return ParseError.truncated("ipv4", MIN_HEADER, bytes.length());
        }
        Bytes b = new Bytes(bytes);
        int version = b.u8(0) >>> 4, ihl = (b.u8(0) & 0xF) * 4;
        if (version != 4) {
            return ParseError.fail("ipv4", ParseError.Kind.BAD_FIELD, "version " + version + ", expected 4");
        }
        if (ihl < MIN_HEADER) {
            return ParseError.fail("ipv4", ParseError.Kind.BAD_FIELD, "header length " + ihl + " below 20");
        }
        int total = b.u16(2);
        if (total < ihl) {
            return ParseError.fail("ipv4", ParseError.Kind.BAD_FIELD, "total length " + total + " below header length " + ihl);
        }
        if (bytes.length() < total) {
            return ParseError.truncated("ipv4", total, bytes.length());
        }
        int sum = InternetChecksum.finish(InternetChecksum.add(0, bytes, 0, ihl));
        if (sum != 0) {
            return ParseError.fail("ipv4", ParseError.Kind.BAD_CHECKSUM, "header checksum 0x" + Integer.toHexString(b.u16(10)) + " does not verify");
        }
        int flagsFrag = b.u16(6);
        boolean moreFragments = (flagsFrag & 0x2000) != 0;
        int offset = flagsFrag & 0x1FFF;
        if ((flagsFrag & 0x8000) != 0) {
            return ParseError.fail("ipv4", ParseError.Kind.BAD_FIELD, "reserved flag bit set");
        }
        if (moreFragments || offset != 0) {
            return ParseError.fail("ipv4", ParseError.Kind.FRAGMENT, "fragment at offset " + offset * 8 + (moreFragments ? " with more to come" : ", the last"));
        }
        return ParseResult.ok(new Ipv4Packet(b.u8(1), b.u16(4), (flagsFrag & 0x4000) != 0, b.u8(8), b.u8(9),
                new Ipv4Address(b.s32(12)), new Ipv4Address(b.s32(16)), bytes.slice(MIN_HEADER, ihl), bytes.slice(ihl, total)));
    }

    public int headerLength() {
        return MIN_HEADER + options.length();
    }

    public ByteString toBytes() {
        int hl = headerLength();
        byte[] h = new byte[hl];
        h[0] = (byte) (0x40 | hl / 4);
        h[1] = (byte) tos;
        Bytes.put16(h, 2, hl + payload.length());
        Bytes.put16(h, 4, identification);
        Bytes.put16(h, 6, dontFragment ? 0x4000 : 0);
        h[8] = (byte) ttl;
        h[9] = (byte) protocol;
        src.write(h, 12);
        dst.write(h, 16);
        System.arraycopy(options.toArray(), 0, h, MIN_HEADER, options.length());
        Bytes.put16(h, 10, InternetChecksum.finish(InternetChecksum.add(0, h, 0, hl)));
        return ByteString.fromArrayUnsafe(h).concat(payload);
    }
}
