package dev.sel4sim.vmm.x86.rtc;

import dev.sel4sim.vmm.x86.dev.IoPortHandler;
import dev.sel4sim.vmm.x86.dev.IrqLine;
import dev.sel4sim.vmm.x86.dev.TickClock;
import dev.sel4sim.vmm.x86.dev.TimedDevice;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.function.LongSupplier;

/**
 * The MC146818 real-time clock and CMOS RAM behind index port 0x70 and data port 0x71, keeping UTC
 * from a fixed epoch plus simulated time, so every run reads the same dates.
 *
 * <p>Time registers follow register B's data mode (BCD or binary) and hour format (12 or 24 hours);
 * register A shows update-in-progress for the last 244 microseconds of each second; register C's
 * periodic, alarm and update-ended flags raise IRQ 8 when register B enables them, and reading C
 * clears them. A guest sets the clock the usual way: SET in register B, write the fields, clear SET.
 * The century is kept at CMOS offset 0x32. Register A's divider bits are stored but the clock always
 * runs. When several seconds pass between two updates, the alarm is compared with the last one only.
 */
public final class Mc146818 implements IoPortHandler, TimedDevice {
    public static final int INDEX_PORT = 0x70;
    public static final int DATA_PORT = 0x71;
    public static final int CENTURY = 0x32;
    private static final int SECONDS = 0x00;
    private static final int MINUTES = 0x02;
    private static final int HOURS = 0x04;
    private static final int DAY_OF_WEEK = 0x06;
    private static final int DAY_OF_MONTH = 0x07;
    private static final int MONTH = 0x08;
    private static final int YEAR = 0x09;
    private static final int REG_A = 0x0a;
    private static final int REG_B = 0x0b;
    private static final int REG_C = 0x0c;
    private static final int REG_D = 0x0d;
    private static final int B_SET = 0x80;
    private static final int B_PIE = 0x40;
    private static final int B_AIE = 0x20;
    private static final int B_UIE = 0x10;
    private static final int B_BINARY = 0x04;
    private static final int B_24H = 0x02;
    private static final int C_IRQF = 0x80;
    private static final int C_PF = 0x40;
    private static final int C_AF = 0x20;
    private static final int C_UF = 0x10;
    private static final long NS_PER_S = 1_000_000_000L;
    private static final long UPDATE_CYCLE_NS = 244_000L;
    private static final TickClock TIME_BASE = new TickClock(32_768);

    private final LongSupplier nowNs;
    private final IrqLine irq8;
    private final byte[] ram = new byte[128];
    /** RTC time in nanoseconds since the Unix epoch is simulated time plus this. */
    private long offsetNs;
    private int index;
    private boolean nmiDisabled;
    private int regA = 0x26;
    private int regB = B_24H;
    private int flags;
    /** Simulated time up to which events have been accounted for. */
    private long checkedNs;
    /** While SET is on: the fields the guest is writing, binary, hour 0-23, full year. */
    private int[] held;
    private boolean irqHigh;

    /**
     * @param nowNs simulated time
     * @param epochSeconds the clock's reading (Unix seconds, UTC) at simulated time zero
     * @param irq8 the interrupt line (ISA IRQ 8)
     */
    public Mc146818(LongSupplier nowNs, long epochSeconds, IrqLine irq8) {
        this.nowNs = nowNs;
        this.irq8 = irq8;
        this.offsetNs = Math.multiplyExact(epochSeconds, NS_PER_S);
        this.checkedNs = nowNs.getAsLong();
    }

    /** Presets a CMOS RAM byte (0x0E-0x7F), as firmware would have left it; other offsets are ignored. */
    public void setCmos(int offset, int value) {
        if (offset >= 0x0e && offset < 0x80 && offset != CENTURY) {
            ram[offset] = (byte) value;
        }
    }

    /** The clock's current reading in Unix seconds. */
    public long epochSeconds() {
        return Math.floorDiv(nowNs.getAsLong() + offsetNs, NS_PER_S);
    }

    @Override
    public int read(int port, int size) {
        if (port == INDEX_PORT) {
            return index | (nmiDisabled ? 0x80 : 0);
        }
        if (port != DATA_PORT) {
            return 0xff;
        }
        update();
        return switch (index) {
            case SECONDS, MINUTES, HOURS, DAY_OF_WEEK, DAY_OF_MONTH, MONTH, YEAR, CENTURY -> timeField(index);
            case REG_A -> regA | (updateInProgress() ? 0x80 : 0);
            case REG_B -> regB;
            case REG_C -> {
                int c = flags;
                flags = 0;
                setIrq(false);
                yield c;
            }
            case REG_D -> 0x80; // valid RAM and time: the battery is good
            default -> ram[index] & 0xff;
        };
    }

    @Override
    public void write(int port, int size, int value) {
        int b = value & 0xff;
        if (port == INDEX_PORT) {
            index = b & 0x7f;
            nmiDisabled = (b & 0x80) != 0;
            return;
        }
        if (port != DATA_PORT) {
            return;
        }
        update();
        switch (index) {
            case SECONDS, MINUTES, HOURS, DAY_OF_WEEK, DAY_OF_MONTH, MONTH, YEAR, CENTURY -> writeTimeField(index, b);
            case REG_A -> regA = b & 0x7f;
            case REG_B -> writeRegB(b);
            case REG_C, REG_D -> {
            }
            default -> ram[index] = (byte) b;
        }
        update();
    }

    private void writeRegB(int b) {
        boolean wasSet = (regB & B_SET) != 0;
        boolean set = (b & B_SET) != 0;
        if (set) {
            b &= ~B_UIE; // setting SET clears UIE
        }
        if (set && !wasSet) {
            held = fieldsAt(epochSeconds());
        }
        regB = b;
        if (!set && wasSet) {
            commit(held);
            held = null;
        }
        updateIrq();
    }

    private void writeTimeField(int reg, int b) {
        int[] fields = held != null ? held : fieldsAt(epochSeconds());
        boolean binary = (regB & B_BINARY) != 0;
        switch (reg) {
            case SECONDS -> fields[0] = decode(b, binary);
            case MINUTES -> fields[1] = decode(b, binary);
            case HOURS -> {
                int h = decode(b & 0x7f, binary);
                if ((regB & B_24H) == 0) {
                    h = (h % 12) + ((b & 0x80) != 0 ? 12 : 0);
                }
                fields[2] = h;
            }
            case DAY_OF_WEEK -> fields[3] = decode(b, binary);
            case DAY_OF_MONTH -> fields[4] = decode(b, binary);
            case MONTH -> fields[5] = decode(b, binary);
            case YEAR -> fields[6] = fields[6] / 100 * 100 + decode(b, binary) % 100;
            default -> fields[6] = decode(b, binary) * 100 + fields[6] % 100;
        }
        if (held == null) {
            commit(fields);
        }
    }

    /** Makes {@code fields} the current time; an impossible date (month 13) leaves the clock as it was. */
    private void commit(int[] fields) {
        try {
            LocalDateTime t = LocalDateTime.of(fields[6], fields[5], fields[4], fields[2], fields[1], fields[0]);
            long seconds = t.toEpochSecond(ZoneOffset.UTC);
            offsetNs = seconds * NS_PER_S - nowNs.getAsLong();
            checkedNs = nowNs.getAsLong();
        } catch (DateTimeException | ArithmeticException e) {
            // The guest wrote a date that does not exist; a real chip would count from garbage.
        }
    }

    private int timeField(int reg) {
        int[] f = held != null ? held : fieldsAt(epochSeconds());
        boolean binary = (regB & B_BINARY) != 0;
        return switch (reg) {
            case SECONDS -> encode(f[0], binary);
            case MINUTES -> encode(f[1], binary);
            case HOURS -> {
                if ((regB & B_24H) != 0) {
                    yield encode(f[2], binary);
                }
                int h12 = f[2] % 12 == 0 ? 12 : f[2] % 12;
                yield encode(h12, binary) | (f[2] >= 12 ? 0x80 : 0);
            }
            case DAY_OF_WEEK -> encode(f[3], binary);
            case DAY_OF_MONTH -> encode(f[4], binary);
            case MONTH -> encode(f[5], binary);
            case YEAR -> encode(f[6] % 100, binary);
            default -> encode(f[6] / 100 % 100, binary);
        };
    }

    /** Seconds, minutes, hours (0-23), day of week (1 = Sunday), day, month, full year. */
    private static int[] fieldsAt(long epochSeconds) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(epochSeconds, 0, ZoneOffset.UTC);
        return new int[] {t.getSecond(), t.getMinute(), t.getHour(), t.getDayOfWeek().getValue() % 7 + 1,
                t.getDayOfMonth(), t.getMonthValue(), t.getYear()};
    }

    private boolean updateInProgress() {
        if ((regB & B_SET) != 0) {
            return false;
        }
        long sub = Math.floorMod(nowNs.getAsLong() + offsetNs, NS_PER_S);
        return sub >= NS_PER_S - UPDATE_CYCLE_NS;
    }

    /**
     * Periodic interrupt period in ticks of the 32.768 kHz time base, or 0 when off. The divider chain
     * that makes these ticks also makes the seconds, so periods stay aligned with second boundaries.
     */
    private long periodTicks() {
        int rs = regA & 0x0f;
        if (rs == 0) {
            return 0;
        }
        if (rs < 3) {
            rs += 7; // rates 1 and 2 repeat rates 8 and 9
        }
        return 1L << (rs - 1);
    }

    @Override
    public long nextDeadlineNs() {
        long now = nowNs.getAsLong();
        long deadline = NO_DEADLINE;
        long period = periodTicks();
        if ((regB & B_PIE) != 0 && period > 0) {
            long next = (Math.floorDiv(TIME_BASE.ticksAt(now + offsetNs), period) + 1) * period;
            deadline = TIME_BASE.nsAt(next) - offsetNs;
        }
        if ((regB & (B_UIE | B_AIE)) != 0 && (regB & B_SET) == 0) {
            long t = now + offsetNs;
            deadline = Math.min(deadline, now + (NS_PER_S - Math.floorMod(t, NS_PER_S)));
        }
        return deadline;
    }

    @Override
    public void update() {
        long now = nowNs.getAsLong();
        if (now <= checkedNs) {
            return;
        }
        long from = checkedNs + offsetNs;
        long to = now + offsetNs;
        checkedNs = now;
        long period = periodTicks();
        if (period > 0 && Math.floorDiv(TIME_BASE.ticksAt(to), period) > Math.floorDiv(TIME_BASE.ticksAt(from), period)) {
            flags |= C_PF;
        }
        if ((regB & B_SET) == 0 && Math.floorDiv(to, NS_PER_S) > Math.floorDiv(from, NS_PER_S)) {
            flags |= C_UF;
            if (alarmMatches(fieldsAt(Math.floorDiv(to, NS_PER_S)))) {
                flags |= C_AF;
            }
        }
        updateIrq();
    }

    private boolean alarmMatches(int[] f) {
        boolean binary = (regB & B_BINARY) != 0;
        return alarmField(ram[0x01] & 0xff, encode(f[0], binary))
                && alarmField(ram[0x03] & 0xff, encode(f[1], binary))
                && alarmField(ram[0x05] & 0xff, timeHoursAsRead(f[2], binary));
    }

    private int timeHoursAsRead(int hour, boolean binary) {
        if ((regB & B_24H) != 0) {
            return encode(hour, binary);
        }
        int h12 = hour % 12 == 0 ? 12 : hour % 12;
        return encode(h12, binary) | (hour >= 12 ? 0x80 : 0);
    }

    /** An alarm byte with both top bits set matches anything. */
    private static boolean alarmField(int alarm, int value) {
        return (alarm & 0xc0) == 0xc0 || alarm == value;
    }

    private void updateIrq() {
        int enabled = (flags & C_PF) != 0 && (regB & B_PIE) != 0 || (flags & C_AF) != 0 && (regB & B_AIE) != 0
                || (flags & C_UF) != 0 && (regB & B_UIE) != 0 ? C_IRQF : 0;
        flags = (flags & ~C_IRQF) | enabled;
        setIrq(enabled != 0);
    }

    private void setIrq(boolean high) {
        if (high != irqHigh) {
            irqHigh = high;
            irq8.set(high);
        }
    }

    private static int encode(int value, boolean binary) {
        return binary ? value & 0xff : ((value / 10 % 10) << 4) | (value % 10);
    }

    private static int decode(int value, boolean binary) {
        return binary ? value : ((value >> 4) & 0xf) * 10 + (value & 0xf);
    }
}
