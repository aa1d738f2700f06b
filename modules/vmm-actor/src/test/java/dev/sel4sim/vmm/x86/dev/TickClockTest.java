package dev.sel4sim.vmm.x86.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TickClockTest {
    @Test
    void pitTicksAtKnownTimes() {
        TickClock pit = new TickClock(1_193_182);
        assertEquals(1_193_182L, pit.ticksAt(1_000_000_000L));
        assertEquals(1_193L, pit.ticksAt(1_000_000L), "1193.182 rounds down");
        assertEquals(839L, pit.nsAt(1), "838.1 ns rounds up");
        long hour = 3_600_000_000_000L;
        assertEquals(1_193_182L * 3600, pit.ticksAt(hour));
        long century = 100L * 365 * 24 * hour;
        assertEquals(1_193_182L * 100 * 365 * 24 * 3600, pit.ticksAt(century), "no overflow over a century");
    }

    @Test
    void nsAtIsTheFirstNanosecondOfEachTick() {
        Random random = new Random(7);
        for (long hz : new long[] {32_768, 1_193_182, 100_000_000, 999_999_937, 1_000_000_000}) {
            TickClock clock = new TickClock(hz);
            for (int i = 0; i < 10_000; i++) {
                long ticks = random.nextLong(1L << 40);
                long ns = clock.nsAt(ticks);
                assertEquals(ticks, clock.ticksAt(ns), hz + " Hz, tick " + ticks);
                if (ns > 0) {
                    assertEquals(true, clock.ticksAt(ns - 1) < ticks, hz + " Hz, one ns earlier");
                }
            }
        }
    }

    @Test
    void refusesImpossibleFrequencies() {
        assertThrows(IllegalArgumentException.class, () -> new TickClock(0));
        assertThrows(IllegalArgumentException.class, () -> new TickClock(1_000_000_001L));
    }
}
