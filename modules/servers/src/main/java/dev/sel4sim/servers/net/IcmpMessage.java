package dev.sel4sim.servers.net;

import org.apache.pekko.util.ByteString;

/**
 * An ICMP message (RFC 792): type, code, the 4-byte rest of the header (identifier and sequence
 * number for echo) and the data. Only echo request and reply are answered by the stacks here;
 * other types parse so that they can be counted.
 */
public record IcmpMessage(int type, int code, int restOfHeader, ByteString data) {
    public static final int ECHO_REPLY = 0;
    public static final int DEST_UNREACHABLE = 3;
    public static final int ECHO_REQUEST = 8;
    public static final int HEADER = 8;

    public static IcmpMessage echoRequest(int identifier, int sequence, ByteString data) {
        return new IcmpMessage(ECHO_REQUEST, 0, (identifier & 0xFFFF) << 16 | (sequence & 0xFFFF), data);
    }

    public boolean isEchoRequest() {
        return type == ECHO_REQUEST && code == 0;
    }

    public int identifier() {
        return restOfHeader >>> 16;
    }

    public int sequence() {
        return restOfHeader & 0xFFFF;
    }

    /** The echo reply to this request: same identifier, sequence number and data. */
    public IcmpMessage echoReply() {
        return new IcmpMessage(ECHO_REPLY, 0, restOfHeader, data);
    }

    public static ParseResult<IcmpMessage> parse(ByteString bytes) {
        if (bytes.length() < HEADER) {
            return ParseError.truncated("icmp", HEADER, bytes.length());
        }
        if (InternetChecksum.finish(InternetChecksum.add(0, bytes, 0, bytes.length())) != 0) {
            return ParseError.fail("icmp", ParseError.Kind.BAD_CHECKSUM, "checksum does not verify");
        }
        Bytes b = new Bytes(bytes);
        return ParseResult.ok(new IcmpMessage(b.u8(0), b.u8(1), b.s32(4), bytes.drop(HEADER)));
    }

    public ByteString toBytes() {
        byte[] h = new byte[HEADER];
        h[0] = (byte) type;
        h[1] = (byte) code;
        Bytes.put32(h, 4, restOfHeader);
        int cs = InternetChecksum.finish(InternetChecksum.add(InternetChecksum.add(0, h, 0, HEADER), data, 0, data.length()));
        Bytes.put16(h, 2, cs);
        return ByteString.fromArrayUnsafe(h).concat(data);
    }
}
