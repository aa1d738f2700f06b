package dev.sel4sim.servers.net;

/** An IPv4 address as its 32 bits. */
public record Ipv4Address(int bits) {
    public static final Ipv4Address ANY = new Ipv4Address(0);
    public static final Ipv4Address BROADCAST = new Ipv4Address(-1);

    /** Parses dotted-quad text such as {@code 10.0.2.15}. */
    public static Ipv4Address parse(String text) {
        String[] parts = text.trim().split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 address like 10.0.2.15");
        }
        int v = 0;
        for (String p : parts) {
            int octet;
            try {
                octet = p.isEmpty() || p.length() > 3 ? -1 : Integer.parseInt(p);
            } catch (NumberFormatException e) {
                octet = -1;
            }
            if (octet < 0 || octet > 255) {
                throw new IllegalArgumentException("'" + text + "' is not an IPv4 address like 10.0.2.15");
            }
            v = (v << 8) | octet;
        }
        return new Ipv4Address(v);
    }

    public static Ipv4Address of(int a, int b, int c, int d) {
        return new Ipv4Address((a & 0xFF) << 24 | (b & 0xFF) << 16 | (c & 0xFF) << 8 | (d & 0xFF));
    }

    /** The address as java.net sees it (for host sockets). */
    public java.net.InetAddress toInetAddress() {
        try {
            return java.net.InetAddress.getByAddress(new byte[]{(byte) (bits >>> 24), (byte) (bits >>> 16), (byte) (bits >>> 8), (byte) bits});
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError("four bytes are always an address", e);
        }
    }

    void write(byte[] out, int off) {
        out[off] = (byte) (bits >>> 24);
        out[off + 1] = (byte) (bits >>> 16);
        out[off + 2] = (byte) (bits >>> 8);
        out[off + 3] = (byte) bits;
    }

    @Override
    public String toString() {
        return (bits >>> 24) + "." + ((bits >>> 16) & 0xFF) + "." + ((bits >>> 8) & 0xFF) + "." + (bits & 0xFF);
    }
}
