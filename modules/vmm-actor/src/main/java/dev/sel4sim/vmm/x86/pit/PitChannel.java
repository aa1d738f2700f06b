package dev.sel4sim.vmm.x86.pit;

/**
 * One 8254 counter: its programmed mode, reload value, latches and the byte-access flip-flops. Time
 * is in PIT ticks; {@link Pit8254} converts from simulated nanoseconds.
 */
final class PitChannel {
    int mode;
    /** 1 = low byte only, 2 = high byte only, 3 = low then high. */
    int access = 3;
    boolean bcd;
    /** The count register as written (0 stands for 65536, or 10000 in BCD). */
    int reload;
    boolean loaded;
    boolean running;
    boolean gate;
    long loadTick;
    /** Ticks counted when counting stopped (gate low); -1 before counting first starts. */
    long frozenElapsed = -1;
    boolean nullCount = true;
    /** For access 3: the next data-port write is the high byte. */
    boolean writeHigh;
    /** For access 3: the next live read is the high byte. */
    boolean readHigh;
    boolean countLatched;
    int latchedCount;
    /** For a latched count with access 3: the next read returns the high byte. */
    boolean latchReadHigh;
    boolean statusLatched;
    int latchedStatus;
    /** Interrupt bookkeeping: periods whose rising edge has been signalled. */
    long signalledPeriods;

    PitChannel(boolean gate) {
        this.gate = gate;
    }

    /** The period or terminal count in ticks. */
    long divisor() {
        if (bcd) {
            int v = fromBcd(reload);
            return v == 0 ? 10_000 : v;
        }
        return reload == 0 ? 0x10000 : reload;
    }

    /** Ticks counted at {@code tick}, or -1 when counting has not started. */
    long elapsed(long tick) {
        return running ? tick - loadTick : frozenElapsed;
    }

    /** The counting element's value at {@code tick}, as the guest reads it (BCD when programmed so). */
    int count(long tick) {
        long d = elapsed(tick);
        long n = divisor();
        long modulus = bcd ? 10_000 : 0x10000;
        long value;
        if (!loaded || d < 0) {
            value = n;
        } else {
            value = switch (mode) {
                case 2 -> n - d % n;
                case 3 -> n - (2 * d) % n;
                default -> Math.floorMod(n - d, modulus);
            };
        }
        value %= modulus;
        return bcd ? toBcd((int) value) : (int) value;
    }

    /** The OUT pin at {@code tick}. */
    boolean out(long tick) {
        long d = elapsed(tick);
        long n = divisor();
        return switch (mode) {
            case 0 -> loaded && d >= n;
            case 1 -> d < 0 || d >= n;
            case 2 -> !(running && d % n == n - 1);
            case 3 -> !running || d % n < (n + 1) / 2;
            default -> !(d == n);
        };
    }

    /** Tick of the next rising edge of OUT that has not been signalled, or -1. */
    long nextEdge() {
        if (!loaded || !running) {
            return -1;
        }
        long n = divisor();
        return switch (mode) {
            case 2, 3 -> loadTick + (signalledPeriods + 1) * n;
            default -> signalledPeriods == 0 ? loadTick + n : -1;
        };
    }

    boolean periodic() {
        return mode == 2 || mode == 3;
    }

    void control(int value) {
        int rw = (value >> 4) & 3;
        int m = (value >> 1) & 7;
        mode = m > 5 ? m - 4 : m;
        access = rw;
        bcd = (value & 1) != 0;
        loaded = false;
        running = false;
        frozenElapsed = -1;
        nullCount = true;
        writeHigh = false;
        readHigh = false;
        countLatched = false;
        statusLatched = false;
        signalledPeriods = 0;
    }

    /** A data-port write; returns true when it completed a count (the counter was loaded). */
    boolean writeCount(int b, long tick) {
        switch (access) {
            case 1 -> reload = b;
            case 2 -> reload = b << 8;
            default -> {
                if (!writeHigh) {
                    reload = (reload & 0xff00) | b;
                    writeHigh = true;
                    if (mode == 0) {
                        // Mode 0 stops counting when the first byte of a new count arrives.
                        running = false;
                        frozenElapsed = -1;
                    }
                    return false;
                }
                reload = (reload & 0xff) | (b << 8);
                writeHigh = false;
            }
        }
        load(tick);
        return true;
    }

    private void load(long tick) {
        loaded = true;
        nullCount = false;
        signalledPeriods = 0;
        frozenElapsed = -1;
        if (mode == 1 || mode == 5) {
            running = false; // waits for a gate trigger
        } else {
            running = gate;
            loadTick = tick;
            if (!gate) {
                frozenElapsed = 0;
            }
        }
    }

    void setGate(boolean high, long tick) {
        if (high == gate) {
            return;
        }
        gate = high;
        if (!loaded) {
            return;
        }
        if (!high) {
            frozenElapsed = elapsed(tick);
            running = false;
            return;
        }
        signalledPeriods = 0;
        if (mode == 0 || mode == 4) {
            loadTick = tick - Math.max(0, frozenElapsed);
        } else {
            loadTick = tick; // modes 1, 2, 3 and 5 restart on a rising gate
        }
        running = true;
    }

    void latchCount(long tick) {
        if (!countLatched) {
            countLatched = true;
            latchedCount = count(tick);
            latchReadHigh = false;
        }
    }

    void latchStatus(long tick) {
        if (!statusLatched) {
            statusLatched = true;
            latchedStatus = (out(tick) ? 0x80 : 0) | (nullCount ? 0x40 : 0) | (access << 4) | (mode << 1)
                    | (bcd ? 1 : 0);
        }
    }

    int readByte(long tick) {
        if (statusLatched) {
            statusLatched = false;
            return latchedStatus;
        }
        if (countLatched) {
            int v = latchedCount;
            return switch (access) {
                case 1 -> {
                    countLatched = false;
                    yield v & 0xff;
                }
                case 2 -> {
                    countLatched = false;
                    yield (v >> 8) & 0xff;
                }
                default -> {
                    if (latchReadHigh) {
                        countLatched = false;
                        yield (v >> 8) & 0xff;
                    }
                    latchReadHigh = true;
                    yield v & 0xff;
                }
            };
        }
        int v = count(tick);
        return switch (access) {
            case 1 -> v & 0xff;
            case 2 -> (v >> 8) & 0xff;
            default -> {
                readHigh = !readHigh;
                yield readHigh ? v & 0xff : (v >> 8) & 0xff;
            }
        };
    }

    private static int fromBcd(int v) {
        return (v & 0xf) + ((v >> 4) & 0xf) * 10 + ((v >> 8) & 0xf) * 100 + ((v >> 12) & 0xf) * 1000;
    }

    private static int toBcd(int v) {
        return (v % 10) | ((v / 10 % 10) << 4) | ((v / 100 % 10) << 8) | ((v / 1000 % 10) << 12);
    }
}
