package dev.sel4sim.servers.net.firewall;

/** What a firewall rule (or the default policy) does with a matching packet. */
public enum Action {
    ALLOW, DENY
}
