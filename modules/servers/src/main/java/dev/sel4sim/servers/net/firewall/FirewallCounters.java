package dev.sel4sim.servers.net.firewall;

import java.util.List;

/** How many frames each rule matched, how many fell to the default, and the frames never examined. */
public record FirewallCounters(List<Long> perRule, long defaultPolicy, long arp, long malformed, long fragments) {
    public FirewallCounters {
        perRule = List.copyOf(perRule);
    }
}
