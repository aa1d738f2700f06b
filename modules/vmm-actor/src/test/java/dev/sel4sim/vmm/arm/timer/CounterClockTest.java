package dev.sel4sim.vmm.arm.timer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Exactness of the ns/tick conversion, checked against floor(ns * f / 10^9) in BigInteger arithmetic. */
class CounterClockTest {

    private static final BigInteger NS = BigInteger.valueOf(1_000_000_000L);
    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    private static long expectedTicks(long ns, long f) {
        return BigInteger.valueOf(ns).multiply(BigInteger.valueOf(f)).divide(NS).mod(TWO_64).longValue();
    }

    @Test
    void wholeTicksAtCommonFrequencies() {
        assertEquals(1, new CounterClock(62_500_000).ticksAt(16));
        assertEquals(0, new CounterClock(62_500_000).ticksAt(15));
        assertEquals(19_200_000, new CounterClock(19_200_000).ticksAt(1_000_000_000));
        assertEquals(0, new CounterClock(24_000_000).ticksAt(41));
        assertEquals(1, new CounterClock(24_000_000).ticksAt(42));
        assertEquals(0, new CounterClock(62_500_000).ticksAt(-5));
    }

    @Test
    void noDriftOverLongRuns() {
        CounterClock c = new CounterClock(24_000_000);
        // a year of simulated time, in seconds and in one go, gives the same count
        long year = 365L * 24 * 3600 * 1_000_000_000L;
        assertEquals(365L * 24 * 3600 * 24_000_000L, c.ticksAt(year));
    }

    @Test
    void matchesExactArithmeticAtBoundaries() {
        long[] freqs = {1, 3, 1_000_000, 19_200_000, 24_000_000, 62_500_000, 1_000_000_000, 0xFFFF_FFFFL};
        long[] times = {0, 1, 999_999_999, 1_000_000_000, 1_000_000_001, Long.MAX_VALUE, Long.MAX_VALUE - 1,
                Long.MAX_VALUE / 2, 123_456_789_123L};
        for (long f : freqs) {
            CounterClock c = new CounterClock(f);
            for (long t : times) {
                assertEquals(expectedTicks(t, f), c.ticksAt(t), "f=" + f + " t=" + t);
            }
        }
    }

    @Test
    void matchesExactArithmeticOnRandomInputs() {
        SplittableRandom r = new SplittableRandom(42);
        for (int i = 0; i < 10_000; i++) {
            long f = r.nextLong(1, 0x1_0000_0000L);
            long t = r.nextLong(0, Long.MAX_VALUE);
            assertEquals(expectedTicks(t, f), new CounterClock(f).ticksAt(t), "f=" + f + " t=" + t);
        }
    }

    @Test
    void nanosAtOrAfterIsTheFirstInstantReachingTheCount() {
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 10_000; i++) {
            long f = r.nextLong(1, 0x1_0000_0000L);
            CounterClock c = new CounterClock(f);
            long ticks = r.nextLong(1, Long.MAX_VALUE / 4);
            long ns = c.nanosAtOrAfter(ticks);
            BigInteger exact = BigInteger.valueOf(ticks).multiply(NS).add(BigInteger.valueOf(f - 1))
                    .divide(BigInteger.valueOf(f));
            if (exact.bitLength() <= 63) {
                assertEquals(exact.longValue(), ns, "f=" + f + " ticks=" + ticks);
                assertTrue(c.ticksAt(ns) >= ticks && c.ticksAt(ns - 1) < ticks);
            } else {
                assertEquals(Long.MAX_VALUE, ns);
            }
        }
        assertEquals(16, new CounterClock(62_500_000).nanosAtOrAfter(1));
        assertEquals(0, new CounterClock(62_500_000).nanosAtOrAfter(0));
        assertEquals(Long.MAX_VALUE, new CounterClock(1).nanosAtOrAfter(Long.MAX_VALUE));
    }

    @Test
    void frequencyMustFitCntfrq() {
        assertThrows(IllegalArgumentException.class, () -> new CounterClock(0));
        assertThrows(IllegalArgumentException.class, () -> new CounterClock(0x1_0000_0000L));
    }
}
