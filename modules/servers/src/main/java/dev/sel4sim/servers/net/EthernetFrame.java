package dev.sel4sim.servers.net;

import org.apache.pekko.util.ByteString;

/**
 * An Ethernet II frame as virtio-net carries it: destination, source, EtherType and payload, no
 * preamble and no FCS. Received frames may carry trailing padding; upper layers trim it by their
 * own length fields.
 */
public record EthernetFrame(MacAddress dst, MacAddress src, int etherType, ByteString payload) {
    public static final int HEADER = 14;
    public static final int TYPE_IPV4 = 0x0800;
    public static final int TYPE_ARP = 0x0806;
    /** Values below this in the type field are 802.3 lengths, not EtherTypes. */
    private static final int MIN_ETHERTYPE = 0x0600;

    public EthernetFrame {
        if (etherType < 0 || etherType > 0xFFFF) {
            throw new IllegalArgumentException("EtherType 0x" + Integer.toHexString(etherType) + " does not fit 16 bits");
        }
    }

    public static ParseResult<EthernetFrame> parse(ByteString bytes) {
        if (bytes.length() < HEADER) {
            return ParseError.truncated("ethernet", HEADER, bytes.length());
        }
        Bytes b = new Bytes(bytes);
        int type = b.u16(12);
        if (type < MIN_ETHERTYPE) {
            return ParseError.fail("ethernet", ParseError.Kind.UNSUPPORTED, "802.3 length field " + type + " instead of an EtherType");
        }
        return ParseResult.ok(new EthernetFrame(MacAddress.read(b, 0), MacAddress.read(b, 6), type, bytes.drop(HEADER)));
    }

    /**
     * Reads only the destination and source MACs (what a switch needs), without checking the rest.
     * Null when the frame is shorter than an Ethernet header.
     */
    public static Addresses addresses(ByteString bytes) {
        if (bytes.length() < HEADER) {
            return null;
        }
        Bytes b = new Bytes(bytes);
        return new Addresses(MacAddress.read(b, 0), MacAddress.read(b, 6));
    }

    /** The two MACs at the start of a frame. */
    public record Addresses(MacAddress dst, MacAddress src) {}

    public ByteString toBytes() {
        byte[] h = new byte[HEADER];
        dst.write(h, 0);
        src.write(h, 6);
        Bytes.put16(h, 12, etherType);
        return ByteString.fromArrayUnsafe(h).concat(payload);
    }
}
