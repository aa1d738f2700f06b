package dev.sel4sim.servers.net.gateway;

/**
 * A gateway's counters: datagrams from the host, frames towards the network dropped because no
 * link was attached or its buffer was full, datagrams delivered to host peers, answers from a
 * simulated address other than the flow's target (dropped), host peers forgotten to make room,
 * and host socket send failures.
 */
public record GatewayCounters(long fromHost, long droppedNoLink, long droppedQueueFull, long toHost, long stray,
                              long flowsEvicted, long sendErrors) {}
