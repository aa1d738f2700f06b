package dev.sel4sim.servers.net;

/** An IPv4 network such as {@code 10.0.0.0/8}; the host bits of {@code network} are zero. */
public record Ipv4Prefix(Ipv4Address network, int length) {
    public static final Ipv4Prefix ANY = new Ipv4Prefix(Ipv4Address.ANY, 0);

    public Ipv4Prefix {
        if (length < 0 || length > 32) {
            throw new IllegalArgumentException("prefix length " + length + " is outside 0..32");
        }
        if ((network.bits() & ~mask(length)) != 0) {
            throw new IllegalArgumentException(network + "/" + length + " has host bits set; the network is "
                    + new Ipv4Address(network.bits() & mask(length)) + "/" + length);
        }
    }

    /** Parses {@code a.b.c.d/len}, or a single address as a /32. */
    public static Ipv4Prefix parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            return new Ipv4Prefix(Ipv4Address.parse(text), 32);
        }
        int len;
        try {
            len = Integer.parseInt(text.substring(slash + 1).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a prefix like 10.0.0.0/8");
        }
        return new Ipv4Prefix(Ipv4Address.parse(text.substring(0, slash)), len);
    }

    public boolean contains(Ipv4Address a) {
        return (a.bits() & mask(length)) == network.bits();
    }

    private static int mask(int length) {
        return length == 0 ? 0 : -1 << (32 - length);
    }

    @Override
    public String toString() {
        return network + "/" + length;
    }
}
