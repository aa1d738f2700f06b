package dev.sel4sim.servers.net;

import org.apache.pekko.util.ByteString;

/** Big-endian reads from a received packet, with its length checked once by the caller. */
record Bytes(ByteString data) {
    int length() {
        return data.length();
    }

    int u8(int off) {
        return data.apply(off) & 0xFF;
    }

    int u16(int off) {
        return u8(off) << 8 | u8(off + 1);
    }

    int s32(int off) {
        return u16(off) << 16 | u16(off + 2);
    }

    long u48(int off) {
        return (long) u16(off) << 32 | (s32(off + 2) & 0xFFFF_FFFFL);
    }

    static void put16(byte[] out, int off, int v) {
        out[off] = (byte) (v >>> 8);
        out[off + 1] = (byte) v;
    }

    static void put32(byte[] out, int off, int v) {
        put16(out, off, v >>> 16);
        put16(out, off + 2, v);
    }
}
