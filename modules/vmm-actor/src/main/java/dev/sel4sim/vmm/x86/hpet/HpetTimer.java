package dev.sel4sim.vmm.x86.hpet;

/** One HPET comparator: configuration, comparator, period and how far its matches have been checked. */
final class HpetTimer {
    static final long INT_LEVEL = 1L << 1;
    static final long INT_ENABLE = 1L << 2;
    static final long PERIODIC = 1L << 3;
    static final long PERIODIC_CAPABLE = 1L << 4;
    static final long SIZE_64 = 1L << 5;
    static final long VALUE_SET = 1L << 6;
    static final long MODE_32 = 1L << 8;
    static final long ROUTE_SHIFT = 9;
    static final long ROUTE_MASK = 0x1fL << ROUTE_SHIFT;
    static final long WRITABLE = INT_LEVEL | INT_ENABLE | PERIODIC | VALUE_SET | MODE_32 | ROUTE_MASK;

    /** Read-only capability bits: size, periodic capability, allowed IOAPIC inputs. */
    final long capabilities;
    long config;
    long comparator = -1L;
    long period;
    /** Main counter value up to which matches have been handled. */
    long checkedTo;
    boolean lineHigh;

    HpetTimer(boolean periodicCapable, long routeCapabilities) {
        this.capabilities = SIZE_64 | (periodicCapable ? PERIODIC_CAPABLE : 0) | (routeCapabilities << 32);
    }

    long configRegister() {
        return capabilities | config;
    }

    void writeConfig(long value) {
        long v = value & WRITABLE;
        if ((capabilities & PERIODIC_CAPABLE) == 0) {
            v &= ~PERIODIC;
        }
        long route = (v & ROUTE_MASK) >> ROUTE_SHIFT;
        if ((capabilities >>> 32 & (1L << route)) == 0) {
            v = (v & ~ROUTE_MASK) | (config & ROUTE_MASK); // a route the timer cannot take is not taken
        }
        config = v;
        if (mode32()) {
            comparator &= 0xffff_ffffL;
        }
    }

    /** A comparator write: sets the comparator unless a periodic timer is only given its period. */
    void writeComparator(long value, long counter) {
        if (mode32()) {
            value &= 0xffff_ffffL;
        }
        if (!periodic() || (config & VALUE_SET) != 0) {
            comparator = value;
        }
        period = value;
        config &= ~VALUE_SET;
        checkedTo = counter;
    }

    boolean periodic() {
        return (config & PERIODIC) != 0;
    }

    boolean mode32() {
        return (config & MODE_32) != 0;
    }

    int route() {
        return (int) ((config & ROUTE_MASK) >> ROUTE_SHIFT);
    }

    private long width() {
        return mode32() ? 0xffff_ffffL : -1L;
    }

    /**
     * Counter ticks after {@link #checkedTo} at which the comparator next matches, minus one, as an
     * unsigned value (so a 64-bit comparator just passed is 2^64 - 1 ticks away, not zero).
     */
    long ticksToMatchMinusOne() {
        return (comparator - checkedTo - 1) & width();
    }

    /** Advances the check to {@code counter}; true when the comparator matched on the way. */
    boolean advance(long counter) {
        long span = counter - checkedTo;
        if (span <= 0) {
            return false;
        }
        boolean matched = Long.compareUnsigned(ticksToMatchMinusOne(), span) < 0;
        if (matched && periodic() && period != 0) {
            long overshoot = (counter - comparator) & width();
            comparator = (comparator + (overshoot / period + 1) * period) & width();
        }
        checkedTo = counter;
        return matched;
    }
}
