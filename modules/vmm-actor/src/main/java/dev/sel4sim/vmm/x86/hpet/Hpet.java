package dev.sel4sim.vmm.x86.hpet;

import dev.sel4sim.vmm.cpu.MmioHandler;
import dev.sel4sim.vmm.x86.dev.TimedDevice;

import java.util.function.LongSupplier;

/**
 * A High Precision Event Timer block at 0xFED00000: a 64-bit main counter at 100 MHz of simulated
 * time and three comparators, timer 0 periodic-capable, all 64-bit-capable with 32-bit mode, and
 * legacy replacement routing (timer 0 to IRQ 0, timer 1 to IRQ 8). Registers may be accessed as
 * 64-bit or as 32-bit halves.
 *
 * <p>Level-triggered timers set their bit in the general interrupt status register and hold their
 * line until the guest writes 1 to that bit; edge-triggered timers pulse. Matches missed between two
 * {@link #update()} calls coalesce into one interrupt, and a periodic comparator then skips ahead to
 * the next period after the current count.
 */
public final class Hpet implements MmioHandler, TimedDevice {
    public static final long BASE = 0xfed0_0000L;
    public static final int TIMERS = 3;
    /** Counter period in femtoseconds: 10 ns. */
    public static final long PERIOD_FS = 10_000_000L;
    private static final long NS_PER_TICK = PERIOD_FS / 1_000_000L;
    /** Timers may use IOAPIC inputs 20-23. */
    public static final long ROUTE_CAPABILITIES = 0x00f0_0000L;
    private static final long CAPABILITIES = (PERIOD_FS << 32) | (0x8086L << 16) | (1L << 15) | (1L << 13)
            | ((TIMERS - 1L) << 8) | 0x01;
    /** Matches further away than this (about 29 years) are never scheduled. */
    private static final long MAX_DEADLINE_TICKS = 1L << 56;
    private static final long ENABLE = 1;
    private static final long LEGACY = 2;

    private final LongSupplier nowNs;
    private final HpetLines lines;
    private final HpetTimer[] timers = new HpetTimer[TIMERS];
    private long config;
    private long status;
    /** The main counter's value at {@link #baseNs} (or its frozen value while halted). */
    private long counterBase;
    private long baseNs;

    public Hpet(LongSupplier nowNs, HpetLines lines) {
        this.nowNs = nowNs;
        this.lines = lines;
        for (int i = 0; i < TIMERS; i++) {
            timers[i] = new HpetTimer(i == 0, ROUTE_CAPABILITIES);
        }
    }

    /**
     * True while legacy replacement routing is on: timer 0 then owns ISA IRQ 0 and timer 1 IRQ 8,
     * and the PIT's and the RTC's outputs are cut off from those lines.
     */
    public boolean legacyReplacement() {
        return (config & LEGACY) != 0;
    }

    private boolean running() {
        return (config & ENABLE) != 0;
    }

    private long counter() {
        return running() ? counterBase + (nowNs.getAsLong() - baseNs) / NS_PER_TICK : counterBase;
    }

    @Override
    public long read(int vcpu, long offset, int size) {
        update();
        long aligned = offset & ~7L;
        long value = register(aligned);
        if ((offset & 4) != 0) {
            value >>>= 32;
        }
        return size >= 8 ? value : value & 0xffff_ffffL;
    }

    private long register(long offset) {
        if (offset >= 0x100 && offset < 0x100 + 0x20L * TIMERS) {
            HpetTimer t = timers[(int) ((offset - 0x100) >> 5)];
            return switch ((int) (offset & 0x1f)) {
                case 0x00 -> t.configRegister();
                case 0x08 -> t.comparator;
                default -> 0; // no FSB delivery
            };
        }
        return switch ((int) offset) {
            case 0x000 -> CAPABILITIES;
            case 0x010 -> config;
            case 0x020 -> status;
            case 0x0f0 -> counter();
            default -> 0;
        };
    }

    @Override
    public void write(int vcpu, long offset, int size, long value) {
        update();
        long aligned = offset & ~7L;
        long old = register(aligned);
        long merged;
        if (size >= 8) {
            merged = value;
        } else if ((offset & 4) != 0) {
            merged = (old & 0xffff_ffffL) | (value << 32);
        } else {
            merged = (old & 0xffff_ffff_0000_0000L) | (value & 0xffff_ffffL);
        }
        if (aligned >= 0x100 && aligned < 0x100 + 0x20L * TIMERS) {
            int n = (int) ((aligned - 0x100) >> 5);
            switch ((int) (aligned & 0x1f)) {
                case 0x00 -> {
                    timers[n].writeConfig(merged);
                    if ((timers[n].config & HpetTimer.INT_LEVEL) == 0) {
                        status &= ~(1L << n);
                    }
                    refreshLine(n);
                }
                case 0x08 -> timers[n].writeComparator(merged, counter());
                default -> {
                }
            }
            return;
        }
        switch ((int) aligned) {
            case 0x010 -> writeConfig(merged & (ENABLE | LEGACY));
            case 0x020 -> {
                // Writing 1 clears a level-triggered timer's status; the value is the written half only.
                long clear = size >= 8 ? value : (offset & 4) != 0 ? value << 32 : value & 0xffff_ffffL;
                status &= ~clear;
                for (int i = 0; i < TIMERS; i++) {
                    refreshLine(i);
                }
            }
            case 0x0f0 -> {
                counterBase = merged;
                baseNs = nowNs.getAsLong();
                for (HpetTimer t : timers) {
                    t.checkedTo = merged;
                }
            }
            default -> {
            }
        }
    }

    private void writeConfig(long value) {
        boolean wasRunning = running();
        long c = counter();
        boolean legacyChanged = ((config ^ value) & LEGACY) != 0;
        if (legacyChanged) {
            for (int i = 0; i < TIMERS; i++) {
                if (timers[i].lineHigh) {
                    setLine(i, false); // leave the old route before taking the new one
                }
            }
        }
        config = value;
        if (running() != wasRunning) {
            counterBase = c;
            baseNs = nowNs.getAsLong();
            for (HpetTimer t : timers) {
                t.checkedTo = c;
            }
        }
        for (int i = 0; i < TIMERS; i++) {
            refreshLine(i);
        }
    }

    @Override
    public long nextDeadlineNs() {
        if (!running()) {
            return NO_DEADLINE;
        }
        long best = NO_DEADLINE;
        long now = nowNs.getAsLong();
        long c = counter();
        for (HpetTimer t : timers) {
            if ((t.config & HpetTimer.INT_ENABLE) == 0) {
                continue;
            }
            long before = t.ticksToMatchMinusOne();
            long elapsed = c - t.checkedTo;
            if (Long.compareUnsigned(before, elapsed) < 0) {
                return now; // overdue: update() has not run since the match
            }
            long remaining = before - elapsed + 1;
            if (remaining <= 0 || remaining > MAX_DEADLINE_TICKS) {
                continue; // beyond any simulated horizon
            }
            long ns = baseNs + (c + remaining - counterBase) * NS_PER_TICK;
            best = Math.min(best, ns);
        }
        return best;
    }

    @Override
    public void update() {
        if (!running()) {
            return;
        }
        long c = counter();
        for (int i = 0; i < TIMERS; i++) {
            HpetTimer t = timers[i];
            if (!t.advance(c) || (t.config & HpetTimer.INT_ENABLE) == 0) {
                continue;
            }
            if ((t.config & HpetTimer.INT_LEVEL) != 0) {
                status |= 1L << i;
                refreshLine(i);
            } else {
                setLine(i, true);
                setLine(i, false);
            }
        }
    }

    /** A level-triggered timer's line follows its status bit while interrupts are enabled. */
    private void refreshLine(int n) {
        HpetTimer t = timers[n];
        boolean level = (t.config & HpetTimer.INT_LEVEL) != 0;
        boolean high = level && (t.config & HpetTimer.INT_ENABLE) != 0 && (status & (1L << n)) != 0;
        if (high != t.lineHigh) {
            setLine(n, high);
        }
    }

    private void setLine(int n, boolean high) {
        timers[n].lineHigh = high;
        if ((config & LEGACY) != 0 && n < 2) {
            lines.legacy(n == 0 ? 0 : 8, high);
        } else {
            lines.ioapic(timers[n].route(), high);
        }
    }
}
