package dev.sel4sim.vmm.x86.apic;

import dev.sel4sim.vmm.cpu.MmioHandler;
import dev.sel4sim.vmm.x86.dev.IrqLine;
import dev.sel4sim.vmm.x86.dev.TickClock;
import dev.sel4sim.vmm.x86.dev.TimedDevice;

import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;

/**
 * One VCPU's local APIC in xAPIC mode, at the 4 KiB page 0xFEE00000.
 *
 * <p>Registers: ID, version (integrated APIC, six LVT entries), TPR, PPR, EOI, LDR, DFR, SVR, the
 * 256-bit ISR, TMR and IRR, ESR, ICR, the LVT entries and the timer (initial count, current count,
 * divide configuration). The timer counts a bus clock of simulated time in one-shot or periodic
 * mode; TSC-deadline mode is not offered (CPUID must not advertise it). Interrupts arrive through
 * {@link #accept(int, boolean)}; the VCPU takes them with {@link #acknowledge()}. IPIs to itself are
 * delivered here, every other IPI goes to {@code ipiSink}; an EOI of a level-triggered vector is
 * passed to {@code eoiBroadcast} for the IOAPIC.
 */
public final class LocalApic implements MmioHandler, TimedDevice {
    public static final long BASE = 0xfee0_0000L;
    /** A typical APIC bus clock for the timer (100 MHz). */
    public static final long DEFAULT_BUS_HZ = 100_000_000L;

    private static final int ID = 0x020;
    private static final int VERSION = 0x030;
    private static final int TPR = 0x080;
    private static final int APR = 0x090;
    private static final int PPR = 0x0a0;
    private static final int EOI = 0x0b0;
    private static final int LDR = 0x0d0;
    private static final int DFR = 0x0e0;
    private static final int SVR = 0x0f0;
    private static final int ISR = 0x100;
    private static final int TMR = 0x180;
    private static final int IRR = 0x200;
    private static final int ESR = 0x280;
    private static final int ICR_LOW = 0x300;
    private static final int ICR_HIGH = 0x310;
    private static final int LVT_TIMER = 0x320;
    private static final int LVT_ERROR = 0x370;
    private static final int TIMER_INITIAL = 0x380;
    private static final int TIMER_CURRENT = 0x390;
    private static final int TIMER_DIVIDE = 0x3e0;
    private static final int VERSION_VALUE = 0x0005_0014; // version 0x14, max LVT entry 5
    private static final int MASKED = 1 << 16;
    private static final int PERIODIC = 1 << 17;
    private static final int SVR_ENABLE = 1 << 8;
    /** Writable bits of the timer, thermal, performance, LINT0, LINT1 and error LVT entries. */
    private static final int[] LVT_WRITABLE = {0x300ff, 0x107ff, 0x107ff, 0x1a7ff, 0x1a7ff, 0x100ff};
    private static final int LINT0 = 3;
    private static final int ESR_RECEIVE_ILLEGAL_VECTOR = 1 << 6;
    private static final int ESR_SEND_ILLEGAL_VECTOR = 1 << 5;

    private final LongSupplier nowNs;
    private final TickClock bus;
    private final IrqLine interruptLine;
    private final Consumer<Ipi> ipiSink;
    private final IntConsumer eoiBroadcast;

    private int id;
    private int tpr;
    private int ldr;
    private int dfr = 0xffff_ffff;
    private int svr = 0xff;
    private final int[] irr = new int[8];
    private final int[] isr = new int[8];
    private final int[] tmr = new int[8];
    private int esr;
    private int esrPending;
    private int icrLow;
    private int icrHigh;
    private final int[] lvt = {MASKED, MASKED, MASKED, MASKED, MASKED, MASKED};
    private int initialCount;
    private int divideConfig;
    /** Bus tick at which the current count was loaded from the initial count. */
    private long timerStartTick;
    /** Timer expiries already turned into interrupts since the initial count was written. */
    private long timerSignalled;
    private boolean lineHigh;
    /** False on a machine configured without the local APIC timer: the timer never starts. */
    private boolean timerFitted = true;

    /**
     * @param apicId this APIC's ID (bits 31:24 of the ID register)
     * @param nowNs simulated time
     * @param busHz the timer's input clock before the divider
     * @param interruptLine high while a deliverable interrupt waits (the VCPU should stop and take it)
     * @param ipiSink IPIs for other processors
     * @param eoiBroadcast vectors of level-triggered interrupts that got their EOI
     */
    public LocalApic(int apicId, LongSupplier nowNs, long busHz, IrqLine interruptLine, Consumer<Ipi> ipiSink,
                     IntConsumer eoiBroadcast) {
        this.id = apicId & 0xff;
        this.nowNs = nowNs;
        this.bus = new TickClock(busHz);
        this.interruptLine = interruptLine;
        this.ipiSink = ipiSink;
        this.eoiBroadcast = eoiBroadcast;
    }

    public int apicId() {
        return id;
    }

    /** True when the APIC is software-enabled (SVR bit 8). */
    public boolean enabled() {
        return (svr & SVR_ENABLE) != 0;
    }

    /**
     * Sets LINT0 to ExtINT, unmasked, as a PC's firmware leaves the boot processor (virtual wire
     * mode): the 8259's interrupts reach the processor until the guest changes LINT0 or
     * software-disables the APIC, which masks every LVT entry.
     */
    public void virtualWire() {
        lvt[LINT0] = 7 << 8;
        updateLine();
    }

    /**
     * Leaves the timer out (a machine whose configuration does not use the local APIC timer): its
     * registers read and write as usual, but the initial count stays 0, so it never counts or fires.
     */
    public void removeTimer() {
        timerFitted = false;
        initialCount = 0;
    }

    /** True when LINT0 is unmasked in ExtINT mode: the 8259 PIC's output reaches this processor. */
    public boolean acceptsExtInt() {
        return (lvt[LINT0] & MASKED) == 0 && ((lvt[LINT0] >> 8) & 7) == 7;
    }

    /**
     * True when a message with this destination addresses this APIC: physical mode compares the ID
     * (0xFF is broadcast); logical mode uses the flat model (DFR 0xF) or the cluster model (DFR 0x0).
     */
    public boolean matchesDestination(int destination, boolean logical) {
        destination &= 0xff;
        if (!logical) {
            return destination == 0xff || destination == id;
        }
        int logicalId = ldr >>> 24;
        if ((dfr >>> 28) == 0xf) {
            return (logicalId & destination) != 0;
        }
        return destination == 0xff
                || (logicalId >> 4) == (destination >> 4) && (logicalId & destination & 0x0f) != 0;
    }

    /**
     * A fixed interrupt arrives (from the IOAPIC, an IPI or this APIC's own LVT). Vectors 0-15 are
     * illegal and only set the error status.
     */
    public void accept(int vector, boolean levelTriggered) {
        vector &= 0xff;
        if (vector < 16) {
            esrPending |= ESR_RECEIVE_ILLEGAL_VECTOR;
            return;
        }
        set(irr, vector, true);
        set(tmr, vector, levelTriggered);
        updateLine();
    }

    /** The vector {@link #acknowledge()} would deliver, or -1 when none outranks the processor priority. */
    public int pendingVector() {
        if (!enabled()) {
            return -1;
        }
        int v = highest(irr);
        return v >= 0 && (v & 0xf0) > (processorPriority() & 0xf0) ? v : -1;
    }

    /** The processor takes the pending interrupt: IRR to ISR. Without one, the spurious vector from SVR. */
    public int acknowledge() {
        int v = pendingVector();
        if (v < 0) {
            return svr & 0xff;
        }
        set(irr, v, false);
        set(isr, v, true);
        updateLine();
        return v;
    }

    private int processorPriority() {
        int isrv = Math.max(highest(isr), 0);
        return (tpr >> 4) >= (isrv >> 4) ? tpr : isrv & 0xf0;
    }

    @Override
    public long read(int vcpu, long offset, int size) {
        update();
        int off = (int) offset;
        if ((off & 0xf) != 0 || offset < 0 || offset >= 0x1000) {
            return 0;
        }
        if (off >= ISR && off < ISR + 0x80) {
            return isr[(off - ISR) >> 4] & 0xffff_ffffL;
        }
        if (off >= TMR && off < TMR + 0x80) {
            return tmr[(off - TMR) >> 4] & 0xffff_ffffL;
        }
        if (off >= IRR && off < IRR + 0x80) {
            return irr[(off - IRR) >> 4] & 0xffff_ffffL;
        }
        if (off >= LVT_TIMER && off <= LVT_ERROR) {
            return lvt[(off - LVT_TIMER) >> 4] & 0xffff_ffffL;
        }
        int value = switch (off) {
            case ID -> id << 24;
            case VERSION -> VERSION_VALUE;
            case TPR -> tpr;
            case APR -> 0;
            case PPR -> processorPriority();
            case LDR -> ldr;
            case DFR -> dfr;
            case SVR -> svr;
            case ESR -> esr;
            case ICR_LOW -> icrLow;
            case ICR_HIGH -> icrHigh;
            case TIMER_INITIAL -> initialCount;
            case TIMER_CURRENT -> currentCount();
            case TIMER_DIVIDE -> divideConfig;
            default -> 0;
        };
        return value & 0xffff_ffffL;
    }

    @Override
    public void write(int vcpu, long offset, int size, long value) {
        update();
        int off = (int) offset;
        if ((off & 0xf) != 0 || offset < 0 || offset >= 0x1000) {
            return;
        }
        int v = (int) value;
        if (off >= LVT_TIMER && off <= LVT_ERROR) {
            int n = (off - LVT_TIMER) >> 4;
            lvt[n] = (v & LVT_WRITABLE[n]) | (lvt[n] & ~LVT_WRITABLE[n] & ~MASKED) | (enabled() ? 0 : MASKED);
            updateLine();
            return;
        }
        switch (off) {
            case ID -> id = v >>> 24;
            case TPR -> tpr = v & 0xff;
            case EOI -> endOfInterrupt();
            case LDR -> ldr = v & 0xff00_0000;
            case DFR -> dfr = v | 0x0fff_ffff;
            case SVR -> writeSvr(v);
            case ESR -> {
                esr = esrPending;
                esrPending = 0;
            }
            case ICR_LOW -> {
                icrLow = v & ~(1 << 12); // delivery is instant: never "send pending"
                sendIpi();
            }
            case ICR_HIGH -> icrHigh = v & 0xff00_0000;
            case TIMER_INITIAL -> {
                initialCount = timerFitted ? v : 0;
                timerStartTick = bus.ticksAt(nowNs.getAsLong());
                timerSignalled = 0;
            }
            case TIMER_DIVIDE -> writeDivide(v);
            default -> {
            }
        }
        updateLine();
    }

    private void writeSvr(int v) {
        svr = v & 0x13ff;
        if (!enabled()) {
            for (int i = 0; i < lvt.length; i++) {
                lvt[i] |= MASKED;
            }
        }
    }

    private void endOfInterrupt() {
        int v = highest(isr);
        if (v < 0) {
            return;
        }
        set(isr, v, false);
        if (get(tmr, v)) {
            eoiBroadcast.accept(v);
        }
    }

    private void sendIpi() {
        int vector = icrLow & 0xff;
        int mode = (icrLow >> 8) & 7;
        boolean logical = (icrLow & (1 << 11)) != 0;
        int shorthand = (icrLow >> 18) & 3;
        int destination = icrHigh >>> 24;
        boolean fixed = mode == Ipi.FIXED;
        if (fixed && vector < 16) {
            esrPending |= ESR_SEND_ILLEGAL_VECTOR;
            return;
        }
        boolean toSelf = switch (shorthand) {
            case 1, 2 -> true;
            case 3 -> false;
            default -> matchesDestination(destination, logical);
        };
        if (toSelf && fixed) {
            accept(vector, false);
        }
        boolean onlySelf = shorthand == 1
                || shorthand == 0 && !logical && destination == id && destination != 0xff;
        if (!onlySelf) {
            ipiSink.accept(new Ipi(id, shorthand, destination, logical, mode, vector, (icrLow & (1 << 14)) != 0,
                    (icrLow & (1 << 15)) != 0));
        }
    }

    /** Divide configuration bits 0, 1 and 3 select 2, 4, 8, 16, 32, 64, 128 or 1. */
    private int divisorShift() {
        int d = (divideConfig & 3) | ((divideConfig & 8) >> 1);
        return (d + 1) & 7;
    }

    private void writeDivide(int v) {
        long elapsed = elapsedCounts();
        divideConfig = v & 0xb;
        // Keep the count where it is; only its pace changes.
        timerStartTick = bus.ticksAt(nowNs.getAsLong()) - (elapsed << divisorShift());
    }

    private long elapsedCounts() {
        return (bus.ticksAt(nowNs.getAsLong()) - timerStartTick) >> divisorShift();
    }

    private boolean periodic() {
        return (lvt[0] & PERIODIC) != 0;
    }

    private int currentCount() {
        long initial = initialCount & 0xffff_ffffL;
        if (initial == 0) {
            return 0;
        }
        long elapsed = elapsedCounts();
        if (periodic()) {
            return (int) (initial - elapsed % initial);
        }
        return (int) Math.max(0, initial - elapsed);
    }

    @Override
    public long nextDeadlineNs() {
        long initial = initialCount & 0xffff_ffffL;
        if (initial == 0 || !periodic() && timerSignalled > 0) {
            return NO_DEADLINE;
        }
        long tick = timerStartTick + ((timerSignalled + 1) * initial << divisorShift());
        return bus.nsAt(tick);
    }

    @Override
    public void update() {
        long initial = initialCount & 0xffff_ffffL;
        if (initial == 0) {
            return;
        }
        long expiries = elapsedCounts() / initial;
        if (!periodic()) {
            expiries = Math.min(expiries, 1);
        }
        if (expiries > timerSignalled) {
            timerSignalled = expiries;
            if ((lvt[0] & MASKED) == 0) {
                accept(lvt[0] & 0xff, false);
            }
        }
    }

    private void updateLine() {
        boolean high = pendingVector() >= 0;
        if (high != lineHigh) {
            lineHigh = high;
            interruptLine.set(high);
        }
    }

    private static int highest(int[] bits) {
        for (int i = 7; i >= 0; i--) {
            if (bits[i] != 0) {
                return i * 32 + 31 - Integer.numberOfLeadingZeros(bits[i]);
            }
        }
        return -1;
    }

    private static boolean get(int[] bits, int vector) {
        return (bits[vector >> 5] & (1 << (vector & 31))) != 0;
    }

    private static void set(int[] bits, int vector, boolean on) {
        if (on) {
            bits[vector >> 5] |= 1 << (vector & 31);
        } else {
            bits[vector >> 5] &= ~(1 << (vector & 31));
        }
    }
}
