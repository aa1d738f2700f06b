package dev.sel4sim.servers.net.vswitch;

import dev.sel4sim.servers.net.MacAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Learned source MACs and the port each was last seen on, with ageing in simulated time. Bounded:
 * when full, stale entries are swept and a new MAC is not learned if none expired (so a MAC flood
 * degrades to flooding instead of growing without limit).
 */
public final class MacTable {
    /** Where a MAC was seen and when; plain data so the table can be written out and read back. */
    public record Entry(int port, long lastSeenNs) {}

    private final long ageingNs;
    private final int capacity;
    private final Map<MacAddress, Entry> entries = new HashMap<>();
    private long refused;

    public MacTable(long ageingNs, int capacity) {
        this.ageingNs = ageingNs;
        this.capacity = capacity;
    }

    /** Records that {@code mac} was seen on {@code port} at {@code nowNs}; moves it if it changed port. */
    public void learn(MacAddress mac, int port, long nowNs) {
        if (!entries.containsKey(mac) && entries.size() >= capacity) {
            expire(nowNs);
            if (entries.size() >= capacity) {
                refused++;
                return;
            }
        }
        entries.put(mac, new Entry(port, nowNs));
    }

    /** The port {@code mac} was learned on, or -1 when unknown or aged out. */
    public int portOf(MacAddress mac, long nowNs) {
        Entry e = entries.get(mac);
        if (e == null) {
            return -1;
        }
        if (nowNs - e.lastSeenNs() >= ageingNs) {
            entries.remove(mac);
            return -1;
        }
        return e.port();
    }

    /** Drops every entry not seen within the ageing time. */
    public void expire(long nowNs) {
        entries.values().removeIf(e -> nowNs - e.lastSeenNs() >= ageingNs);
    }

    /** Forgets everything learned on {@code port} (its device went away). */
    public void forgetPort(int port) {
        entries.values().removeIf(e -> e.port() == port);
    }

    public int size() {
        return entries.size();
    }

    /** MACs not learned because the table was full. */
    public long refused() {
        return refused;
    }

    /** A copy of the entries (for snapshots and diagnostics). */
    public Map<MacAddress, Entry> entries() {
        return Map.copyOf(entries);
    }
}
