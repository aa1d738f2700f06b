package dev.sel4sim.servers.net.firewall;

/** A firewall description that cannot be used; names the rule (by index, -1 for none) and the field. */
public final class FirewallConfigError extends IllegalArgumentException {
    private final int ruleIndex;
    private final String field;

    public FirewallConfigError(String where, int ruleIndex, String field, String problem) {
        super(where + ": firewall " + (ruleIndex >= 0 ? "rule " + ruleIndex + ", " : "") + "field '" + field + "': " + problem);
        this.ruleIndex = ruleIndex;
        this.field = field;
    }

    public int ruleIndex() {
        return ruleIndex;
    }

    public String field() {
        return field;
    }
}
