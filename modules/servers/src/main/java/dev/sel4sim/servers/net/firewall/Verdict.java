package dev.sel4sim.servers.net.firewall;

/**
 * The firewall's decision for one frame and what it was based on: a rule (its index), the default
 * policy, ARP (always passes), or a frame that could not be examined (always dropped).
 */
public record Verdict(boolean pass, Basis basis, int rule) {
    public enum Basis { RULE, DEFAULT, ARP, MALFORMED, FRAGMENT }

    static final Verdict ARP = new Verdict(true, Basis.ARP, -1);
    static final Verdict MALFORMED = new Verdict(false, Basis.MALFORMED, -1);
    static final Verdict FRAGMENT = new Verdict(false, Basis.FRAGMENT, -1);
}
