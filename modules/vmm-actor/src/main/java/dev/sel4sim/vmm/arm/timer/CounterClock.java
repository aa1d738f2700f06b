package dev.sel4sim.vmm.arm.timer;

/**
 * Converts simulated nanoseconds to system-counter ticks and back with exact integer arithmetic, so
 * the counter never drifts from simulated time: {@code ticksAt(ns) = floor(ns * f / 10^9)}.
 *
 * @param frequencyHz the counter frequency, as CNTFRQ_EL0 reports it: 1..2^32-1 (the register is 32 bits)
 */
public record CounterClock(long frequencyHz) {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    /** Checks the frequency fits CNTFRQ_EL0. */
    public CounterClock {
        if (frequencyHz < 1 || frequencyHz > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("counter frequency must be 1..2^32-1 Hz, got " + frequencyHz);
        }
    }

    /**
     * @param nanos simulated time since the counter started; negative counts as 0
     * @return the counter value then, {@code floor(nanos * f / 10^9)}, modulo 2^64
     */
    public long ticksAt(long nanos) {
        if (nanos <= 0) {
            return 0;
        }
        // Split at whole seconds so the partial product stays below 2^63: (10^9 - 1) * (2^32 - 1) < 2^62.
        return (nanos / NANOS_PER_SECOND) * frequencyHz
                + (nanos % NANOS_PER_SECOND) * frequencyHz / NANOS_PER_SECOND;
    }

    /**
     * @param ticks a counter value, 0 or more
     * @return the earliest simulated time at which {@link #ticksAt} reaches it, or {@link Long#MAX_VALUE}
     *         if that is beyond the range of a {@code long}
     */
    public long nanosAtOrAfter(long ticks) {
        if (ticks <= 0) {
            return 0;
        }
        long seconds = ticks / frequencyHz;
        long rest = ticks % frequencyHz;
        if (seconds > Long.MAX_VALUE / NANOS_PER_SECOND) {
            return Long.MAX_VALUE;
        }
        long whole = seconds * NANOS_PER_SECOND;
        long partial = (rest * NANOS_PER_SECOND + frequencyHz - 1) / frequencyHz;
        return whole > Long.MAX_VALUE - partial ? Long.MAX_VALUE : whole + partial;
    }
}
