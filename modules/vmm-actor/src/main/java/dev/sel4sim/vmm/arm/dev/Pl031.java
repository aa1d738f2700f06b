package dev.sel4sim.vmm.arm.dev;

import dev.sel4sim.vmm.cpu.MmioHandler;

import java.util.function.LongSupplier;

/**
 * An Arm PrimeCell PL031 real-time clock counting seconds of simulated time from a
 * configured epoch. The match interrupt is not wired: Linux reads the time only.
 */
public final class Pl031 implements MmioHandler {
    private static final int[] ID = {0x31, 0x10, 0x04, 0x00, 0x0d, 0xf0, 0x05, 0xb1};

    private final LongSupplier nowNs;
    private long offsetSeconds;
    private int match;
    private int control = 1;
    private int imsc;
    private int ris;

    /** @param epochSeconds the RTC's reading at simulated time zero (Unix seconds) */
    public Pl031(LongSupplier nowNs, long epochSeconds) {
        this.nowNs = nowNs;
        this.offsetSeconds = epochSeconds;
    }

    private long seconds() {
        return offsetSeconds + nowNs.getAsLong() / 1_000_000_000L;
    }

    @Override
    public long read(int vcpu, long offset, int size) {
        int off = (int) offset;
        if (off >= 0xfe0 && off < 0x1000) {
            return ID[(off - 0xfe0) >> 2];
        }
        return switch (off) {
            case 0x000 -> seconds() & 0xffff_ffffL;
            case 0x004 -> match & 0xffff_ffffL;
            case 0x008 -> seconds() & 0xffff_ffffL;
            case 0x00c -> control;
            case 0x010 -> imsc;
            case 0x014 -> ris;
            case 0x018 -> ris & imsc;
            default -> 0;
        };
    }

    @Override
    public void write(int vcpu, long offset, int size, long value) {
        switch ((int) offset) {
            case 0x004 -> match = (int) value;
            case 0x008 -> offsetSeconds += (value & 0xffff_ffffL) - seconds();
            case 0x00c -> control = (int) (value & 1) | control;
            case 0x010 -> imsc = (int) (value & 1);
            case 0x01c -> ris &= ~(int) value;
            default -> {
            }
        }
    }
}
