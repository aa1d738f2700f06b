package dev.sel4sim.vmm.x86.dev;

/**
 * Exact conversion between simulated nanoseconds and the ticks of a device clock of at most 1 GHz,
 * with no drift and no overflow for any non-negative time up to centuries. The limit keeps every tick
 * on its own nanosecond, so {@link #nsAt} is exact.
 *
 * @param hz the clock's frequency
 */
public record TickClock(long hz) {
    private static final long NS_PER_S = 1_000_000_000L;

    public TickClock {
        if (hz <= 0 || hz > NS_PER_S) {
            throw new IllegalArgumentException("clock frequency " + hz + " Hz is outside 1 Hz - 1 GHz");
        }
    }

    /** Whole ticks elapsed at {@code ns} (rounded down). */
    public long ticksAt(long ns) {
        long q = Math.floorDiv(ns, NS_PER_S);
        long r = Math.floorMod(ns, NS_PER_S);
        return q * hz + r * hz / NS_PER_S;
    }

    /** The first nanosecond at which {@code ticks} ticks have elapsed: {@code ticksAt(nsAt(t)) == t}. */
    public long nsAt(long ticks) {
        long q = Math.floorDiv(ticks, hz);
        long r = Math.floorMod(ticks, hz);
        return q * NS_PER_S + (r * NS_PER_S + hz - 1) / hz;
    }
}
