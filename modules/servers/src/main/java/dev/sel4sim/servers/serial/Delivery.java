package dev.sel4sim.servers.serial;

/** Keystrokes for one client, in the order typed. */
public record Delivery(String client, byte[] bytes) {
    public Delivery {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Delivery d && d.client.equals(client) && java.util.Arrays.equals(d.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return client.hashCode() * 31 + java.util.Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "Delivery[" + client + ", " + new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1) + "]";
    }
}
