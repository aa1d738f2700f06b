package dev.sel4sim.servers.net.stack;

import dev.sel4sim.servers.net.Ipv4Address;
import dev.sel4sim.servers.net.Ipv4Packet;
import dev.sel4sim.servers.net.MacAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small ARP cache with the packets waiting for a neighbour's MAC. Both are bounded: the least
 * recently used neighbour is evicted, and a full wait queue drops its oldest packet. Not
 * thread-safe; its owner serialises access.
 */
final class ArpCache {
    private final int capacity;
    private final int pendingPerNeighbour;
    private final LinkedHashMap<Ipv4Address, MacAddress> entries;
    private final LinkedHashMap<Ipv4Address, ArrayDeque<Ipv4Packet>> pending = new LinkedHashMap<>();

    ArpCache(int capacity, int pendingPerNeighbour) {
        this.capacity = capacity;
        this.pendingPerNeighbour = pendingPerNeighbour;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Ipv4Address, MacAddress> eldest) {
                return size() > ArpCache.this.capacity;
            }
        };
    }

    MacAddress lookup(Ipv4Address ip) {
        return entries.get(ip);
    }

    /** Learns {@code ip -> mac}; returns the packets that were waiting for it. */
    List<Ipv4Packet> learn(Ipv4Address ip, MacAddress mac) {
        entries.put(ip, mac);
        ArrayDeque<Ipv4Packet> q = pending.remove(ip);
        return q == null ? List.of() : new ArrayList<>(q);
    }

    /**
     * Queues a packet until {@code ip} is resolved. Returns how many packets were dropped to make
     * room (0 or 1), or -1 when this is the first packet for {@code ip} (a request should go out).
     */
    int hold(Ipv4Address ip, Ipv4Packet p) {
        ArrayDeque<Ipv4Packet> q = pending.get(ip);
        if (q == null) {
            if (pending.size() >= capacity) {
                // Give up on the neighbour waited for longest.
                pending.remove(pending.keySet().iterator().next());
            }
            q = new ArrayDeque<>();
            q.add(p);
            pending.put(ip, q);
            return -1;
        }
        int dropped = 0;
        if (q.size() >= pendingPerNeighbour) {
            q.removeFirst();
            dropped = 1;
        }
        q.addLast(p);
        return dropped;
    }

    Map<Ipv4Address, MacAddress> entries() {
        return Map.copyOf(entries);
    }
}
