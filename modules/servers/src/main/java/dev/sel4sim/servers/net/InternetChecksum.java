package dev.sel4sim.servers.net;

import org.apache.pekko.util.ByteString;

/** The RFC 1071 ones'-complement checksum used by IPv4, ICMP and UDP. */
public final class InternetChecksum {
    private InternetChecksum() {
    }

    /** Adds the 16-bit big-endian words of {@code data[from, until)} to {@code sum} (not folded). */
    public static long add(long sum, ByteString data, int from, int until) {
        int i = from;
        for (; i + 1 < until; i += 2) {
            sum += (data.apply(i) & 0xFF) << 8 | (data.apply(i + 1) & 0xFF);
        }
        if (i < until) {
            sum += (data.apply(i) & 0xFF) << 8;
        }
        return sum;
    }

    public static long add(long sum, byte[] data, int from, int until) {
        int i = from;
        for (; i + 1 < until; i += 2) {
            sum += (data[i] & 0xFF) << 8 | (data[i + 1] & 0xFF);
        }
        if (i < until) {
            sum += (data[i] & 0xFF) << 8;
        }
        return sum;
    }

    /** Folds the carries and complements: the value to put in a checksum field. */
    public static int finish(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) (~sum & 0xFFFF);
    }

    /** The IPv4 pseudo-header's contribution for UDP/TCP (RFC 768). */
    public static long pseudoHeader(Ipv4Address src, Ipv4Address dst, int protocol, int length) {
        return (src.bits() >>> 16) + (src.bits() & 0xFFFF) + (dst.bits() >>> 16) + (dst.bits() & 0xFFFF) + protocol + length;
    }
}
