package dev.sel4sim.servers.net.stack;

/**
 * A host stack's counters: frames received, frames not addressed to it, malformed and fragmented
 * packets dropped, ARP requests answered and sent, ICMP echoes answered, UDP datagrams delivered,
 * UDP datagrams for unbound ports, packets dropped while waiting for ARP, and handler failures.
 */
public record StackCounters(long rx, long notForUs, long malformed, long fragments, long arpAnswered, long arpRequested,
                            long echoReplies, long udpDelivered, long udpNoPort, long unresolvedDropped, long handlerErrors) {}
