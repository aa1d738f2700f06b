package dev.sel4sim.servers.net;

import java.util.HexFormat;

/** A 48-bit Ethernet MAC address, kept in the low bits of a long. */
public record MacAddress(long bits) {
    public static final MacAddress BROADCAST = new MacAddress(0xFFFF_FFFF_FFFFL);
    public static final MacAddress ZERO = new MacAddress(0);

    public MacAddress {
        if ((bits & ~0xFFFF_FFFF_FFFFL) != 0) {
            throw new IllegalArgumentException("a MAC address has 48 bits, got 0x" + Long.toHexString(bits));
        }
    }

    /** Parses {@code aa:bb:cc:dd:ee:ff} (or with dashes). */
    public static MacAddress parse(String text) {
        String[] parts = text.trim().split("[:-]");
        if (parts.length != 6) {
            throw new IllegalArgumentException("'" + text + "' is not a MAC address like 52:54:00:12:34:56");
        }
        long v = 0;
        for (String p : parts) {
            if (p.length() != 2 || !HexFormat.isHexDigit(p.charAt(0)) || !HexFormat.isHexDigit(p.charAt(1))) {
                throw new IllegalArgumentException("'" + text + "' is not a MAC address like 52:54:00:12:34:56");
            }
            v = (v << 8) | HexFormat.fromHexDigits(p);
        }
        return new MacAddress(v);
    }

    /** The group bit: broadcast and multicast frames are flooded, never learned as sources. */
    public boolean isMulticast() {
        return ((bits >>> 40) & 1) != 0;
    }

    public boolean isBroadcast() {
        return bits == BROADCAST.bits;
    }

    static MacAddress read(Bytes b, int off) {
        return new MacAddress(b.u48(off));
    }

    void write(byte[] out, int off) {
        for (int i = 0; i < 6; i++) {
            out[off + i] = (byte) (bits >>> (40 - 8 * i));
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(17);
        for (int i = 0; i < 6; i++) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(HexFormat.of().toHexDigits((byte) (bits >>> (40 - 8 * i))));
        }
        return sb.toString();
    }
}
