package dev.sel4sim.servers;

import java.util.Map;
import java.util.TreeMap;

/**
 * What the system description gave a component: its capabilities by connection name (CPtrs in its
 * own CSpace) and, for each endpoint it serves, which client each badge stands for.
 */
public record Wiring(Map<String, Long> caps, Map<String, Map<Long, String>> clients) {
    public Wiring {
        caps = Map.copyOf(caps);
        clients = Map.copyOf(clients);
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
