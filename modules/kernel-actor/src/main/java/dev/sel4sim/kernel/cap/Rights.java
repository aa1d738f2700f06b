package dev.sel4sim.kernel.cap;

/** seL4 capability rights: Read, Write, Grant and GrantReply (seL4_CapRights_t). */
public record Rights(boolean read, boolean write, boolean grant, boolean grantReply) {
    public static final Rights ALL = new Rights(true, true, true, true);
    public static final Rights NONE = new Rights(false, false, false, false);
    public static final Rights RW = new Rights(true, true, false, false);
    public static final Rights READ = new Rights(true, false, false, false);
    public static final Rights WRITE = new Rights(false, true, false, false);

    /** The rights both have: a derived capability never gains rights (seL4's maskCapRights). */
    public Rights mask(Rights other) {
        return new Rights(read && other.read, write && other.write, grant && other.grant,
                grantReply && other.grantReply);
    }

    /** Parses "RWG", "RW", "R", "W", "RWGP" (P = grant-reply), "ALL" or "" (case insensitive). */
    public static Rights parse(String text) {
        String t = text.trim().toUpperCase();
        if (t.equals("ALL")) {
            return ALL;
        }
        boolean r = false, w = false, g = false, p = false;
        for (char c : t.toCharArray()) {
            switch (c) {
                case 'R' -> r = true;
                case 'W' -> w = true;
                case 'G' -> g = true;
                case 'P' -> p = true;
                default -> throw new IllegalArgumentException(
                        "unknown right '" + c + "' in \"" + text + "\"; expected letters of R, W, G, P (grant-reply) or ALL");
            }
        }
        return new Rights(r, w, g, p);
    }

    @Override
    public String toString() {
        String s = (read ? "R" : "") + (write ? "W" : "") + (grant ? "G" : "") + (grantReply ? "P" : "");
        return s.isEmpty() ? "-" : s;
    }
}
