package dev.sel4sim.kernel;

/** Human-readable byte sizes for error messages and tables. */
public final class Sizes {
    private Sizes() {
    }

    /** 268435456 -> "256 MiB"; non-power sizes get one decimal ("1.5 GiB"). */
    public static String human(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return v == Math.rint(v) ? String.format("%d %s", (long) v, units[u]) : String.format("%.1f %s", v, units[u]);
    }
}
