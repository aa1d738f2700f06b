package dev.sel4sim.vmm.x86.hpet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sel4sim.vmm.x86.dev.TimedDevice;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HpetTest {
    long now;
    final List<String> events = new ArrayList<>();
    final Hpet hpet = new Hpet(() -> now, new HpetLines() {
        @Override
        public void ioapic(int pin, boolean high) {
            events.add("gsi" + pin + (high ? "+" : "-"));
        }

        @Override
        public void legacy(int isaIrq, boolean high) {
            events.add("irq" + isaIrq + (high ? "+" : "-"));
        }
    });

    private long r64(int off) {
        return hpet.read(0, off, 8);
    }

    private void w64(int off, long v) {
        hpet.write(0, off, 8, v);
    }

    @Test
    void capabilitiesInOneAccessOrTwoHalves() {
        assertEquals(0x0098_9680_8086_a201L, r64(0x000), "10 ns period, Intel, legacy capable, 64-bit, 3 timers");
        assertEquals(0x8086_a201L, hpet.read(0, 0x000, 4));
        assertEquals(0x0098_9680L, hpet.read(0, 0x004, 4));
        assertEquals(0x00f0_0000_0000_0030L, r64(0x100), "timer 0: periodic and 64-bit capable, pins 20-23");
        assertEquals(0x00f0_0000_0000_0020L, r64(0x120), "timer 1: one-shot only");
    }

    @Test
    void mainCounterRunsAt100MhzOnlyWhileEnabled() {
        now = 1_000;
        assertEquals(0L, r64(0x0f0));
        w64(0x010, 1);
        now = 1_000 + 12_345;
        assertEquals(1_234L, r64(0x0f0));
        w64(0x010, 0);
        now = 1_000_000;
        assertEquals(1_234L, r64(0x0f0), "halted");
        hpet.write(0, 0x0f4, 4, 0x1);
        hpet.write(0, 0x0f0, 4, 0x10);
        assertEquals(0x1_0000_0010L, r64(0x0f0), "written as two halves while halted");
    }

    @Test
    void oneShotLevelTriggeredComparatorHoldsItsLineUntilStatusIsCleared() {
        w64(0x140, (20 << 9) | HpetTimer.INT_ENABLE | HpetTimer.INT_LEVEL); // timer 2 to GSI 20
        w64(0x148, 1_000);
        w64(0x010, 1);
        assertEquals(10_000L, hpet.nextDeadlineNs());
        now = 9_999;
        hpet.update();
        assertEquals(List.of(), events);
        now = 10_000;
        hpet.update();
        assertEquals(List.of("gsi20+"), events);
        assertEquals(0b100L, r64(0x020));
        assertEquals(TimedDevice.NO_DEADLINE, hpet.nextDeadlineNs(), "a 64-bit one-shot does not come round again");
        hpet.write(0, 0x020, 4, 0b100);
        assertEquals(List.of("gsi20+", "gsi20-"), events);
        assertEquals(0L, r64(0x020));
        now = 50_000;
        hpet.update();
        assertEquals(List.of("gsi20+", "gsi20-"), events, "and does not match again");
    }

    @Test
    void periodicTimerZeroUnderLegacyReplacementTicksIrq0() {
        w64(0x010, 1 | 2); // enabled, legacy replacement
        now = 5_000; // counter 500
        // Linux's periodic set-up: periodic with VAL_SET, comparator = now + delta, then the period.
        w64(0x100, HpetTimer.INT_ENABLE | HpetTimer.PERIODIC | HpetTimer.VALUE_SET);
        w64(0x108, 500 + 1_000);
        w64(0x108, 1_000);
        assertEquals(1_500L, r64(0x108), "the second write set only the period");
        assertEquals(15_000L, hpet.nextDeadlineNs());
        now = 15_000;
        hpet.update();
        assertEquals(List.of("irq0+", "irq0-"), events);
        assertEquals(2_500L, r64(0x108), "the comparator moved on by one period");
        now = 45_500; // counter 4550: periods at 2500, 3500 and 4500 coalesce
        hpet.update();
        assertEquals(List.of("irq0+", "irq0-", "irq0+", "irq0-"), events);
        assertEquals(5_500L, r64(0x108));
        assertEquals(55_000L, hpet.nextDeadlineNs());
        assertEquals(0L, r64(0x020), "edge-triggered timers leave the status alone");
    }

    @Test
    void thirtyTwoBitModeWrapsTheComparison() {
        w64(0x0f0, 0xffff_fff0L);
        w64(0x120, HpetTimer.INT_ENABLE | HpetTimer.MODE_32 | (21 << 9));
        w64(0x128, 0x1_0000_0005L); // truncated to 32 bits: 5
        assertEquals(5L, r64(0x128));
        w64(0x010, 1);
        assertEquals(0x15L * 10, hpet.nextDeadlineNs());
        now = 0x15L * 10;
        hpet.update();
        assertEquals(List.of("gsi21+", "gsi21-"), events);
    }

    @Test
    void routesAndModesOutsideTheCapabilitiesAreNotTaken() {
        w64(0x120, HpetTimer.PERIODIC | (5L << 9));
        assertEquals(0L, r64(0x120) & (HpetTimer.PERIODIC | HpetTimer.ROUTE_MASK));
        w64(0x120, 22L << 9);
        assertEquals(22L, (r64(0x120) & HpetTimer.ROUTE_MASK) >> 9);
        assertEquals(0L, r64(0x400));
        hpet.write(0, 0x3ff, 1, 0xff);
    }
}
