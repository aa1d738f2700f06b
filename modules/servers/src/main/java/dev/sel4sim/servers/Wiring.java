package dev.sel4sim.servers;

import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the system description gave a component: its capabilities by connection name (CPtrs in its
 * own CSpace), for each endpoint it serves which client each badge stands for, and the memory of the
 * dataports it maps, by connection name.
 *
 * <p>A cross-VM connection named {@code c} gives the component the dataport {@code c} (a frame cap and
 * its memory), the notification {@link #fromGuest c.from-guest} the guest's doorbell signals (Read) and
 * the notification {@link #toGuest c.to-guest} that raises the guest's event (Write).
 */
public record Wiring(Map<String, Long> caps, Map<String, Map<Long, String>> clients, Map<String, MemorySegment> dataports) {
    public Wiring {
        caps = Map.copyOf(caps);
        clients = Map.copyOf(clients);
        dataports = Map.copyOf(dataports);
    }

    /** Capabilities and clients, no dataport memory. */
    public Wiring(Map<String, Long> caps, Map<String, Map<Long, String>> clients) {
        this(caps, clients, Map.of());
    }

    /** The name of a cross-VM connection's notification that the guest's doorbell signals. */
    public static String fromGuest(String connection) {
        return connection + ".from-guest";
    }

    /** The name of a cross-VM connection's notification whose signal raises the guest's event. */
    public static String toGuest(String connection) {
        return connection + ".to-guest";
    }

    /** The memory of the dataport named {@code name}; fails with the names it does have. */
    public MemorySegment dataport(String name) {
        MemorySegment m = dataports.get(name);
        if (m == null) {
            throw new IllegalArgumentException("no dataport named '" + name + "'; this component has " + new TreeMap<>(dataports).keySet());
        }
        return m;
    }

    /** The CPtr of the capability named {@code name}; fails with the names it does have. */
    public long cap(String name) {
        Long c = caps.get(name);
        if (c == null) {
            throw new IllegalArgumentException("no capability named '" + name + "'; this component has " + new TreeMap<>(caps).keySet());
        }
        return c;
    }

    public boolean has(String name) {
        return caps.containsKey(name);
    }

    /** The client a badge identifies on the served endpoint {@code endpoint}. */
    public String client(String endpoint, long badge) {
        return clients.getOrDefault(endpoint, Map.of()).getOrDefault(badge, "badge 0x" + Long.toHexString(badge));
    }
}
