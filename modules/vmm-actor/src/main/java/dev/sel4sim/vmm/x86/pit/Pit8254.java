package dev.sel4sim.vmm.x86.pit;

import dev.sel4sim.vmm.x86.dev.IoPortHandler;
import dev.sel4sim.vmm.x86.dev.IrqLine;
import dev.sel4sim.vmm.x86.dev.TickClock;
import dev.sel4sim.vmm.x86.dev.TimedDevice;

import java.util.function.LongSupplier;

/**
 * The PC's 8254 programmable interval timer at ports 0x40-0x43, counting at 1.193182 MHz of
 * simulated time, with system control port B (0x61) for channel 2's gate and OUT pin.
 *
 * <p>Channel 0 drives IRQ 0: mode 0 raises the line at terminal count and holds it until the channel
 * is reprogrammed; modes 2 and 3 pulse it once per period (periods missed between two
 * {@link #update()} calls coalesce into one edge, as an edge-triggered PIC would see them). All six
 * modes count; a new count in modes 2 and 3 takes effect at once rather than at the end of the period.
 */
public final class Pit8254 implements IoPortHandler, TimedDevice {
    /** The PC's PIT input clock. */
    public static final long FREQUENCY_HZ = 1_193_182L;
    public static final int CHANNEL0 = 0x40;
    public static final int CONTROL = 0x43;
    public static final int PORT_B = 0x61;
    private static final TickClock CLOCK = new TickClock(FREQUENCY_HZ);
    /** Port B bit 4 toggles with each DRAM refresh, every 15.085 microseconds. */
    private static final long REFRESH_NS = 15_085L;

    private final LongSupplier nowNs;
    private final IrqLine irq0;
    private final PitChannel[] channels = {new PitChannel(true), new PitChannel(true), new PitChannel(false)};
    private int portB;
    private boolean irqHigh;

    public Pit8254(LongSupplier nowNs, IrqLine irq0) {
        this.nowNs = nowNs;
        this.irq0 = irq0;
    }

    private long tick() {
        return CLOCK.ticksAt(nowNs.getAsLong());
    }

    @Override
    public int read(int port, int size) {
        update();
        long t = tick();
        return switch (port) {
            case 0x40, 0x41, 0x42 -> channels[port - CHANNEL0].readByte(t);
            case PORT_B -> (portB & 0x0f) | ((nowNs.getAsLong() / REFRESH_NS) % 2 == 1 ? 0x10 : 0)
                    | (channels[2].out(t) ? 0x20 : 0);
            default -> 0xff; // the control register is write-only
        };
    }

    @Override
    public void write(int port, int size, int value) {
        update();
        long t = tick();
        int b = value & 0xff;
        switch (port) {
            case 0x40, 0x41, 0x42 -> {
                int n = port - CHANNEL0;
                if (channels[n].writeCount(b, t) && n == 0) {
                    setIrq(false);
                }
            }
            case CONTROL -> control(b, t);
            case PORT_B -> {
                portB = b & 0x0f;
                channels[2].setGate((b & 1) != 0, t);
            }
            default -> {
            }
        }
        update();
    }

    private void control(int value, long t) {
        int select = value >> 6;
        if (select == 3) {
            // Read-back: bit 5 clear latches counts, bit 4 clear latches status, bits 3-1 pick channels.
            for (int n = 0; n < 3; n++) {
                if ((value & (2 << n)) != 0) {
                    if ((value & 0x20) == 0) {
                        channels[n].latchCount(t);
                    }
                    if ((value & 0x10) == 0) {
                        channels[n].latchStatus(t);
                    }
                }
            }
            return;
        }
        PitChannel c = channels[select];
        if ((value & 0x30) == 0) {
            c.latchCount(t);
            return;
        }
        c.control(value);
        if (select == 0) {
            // OUT is low after a mode 0 control word and high in every other mode.
            setIrq(false);
        }
    }

    @Override
    public long nextDeadlineNs() {
        long edge = channels[0].nextEdge();
        return edge < 0 ? NO_DEADLINE : CLOCK.nsAt(edge);
    }

    @Override
    public void update() {
        PitChannel c = channels[0];
        long edge = c.nextEdge();
        long t = tick();
        if (edge < 0 || t < edge) {
            return;
        }
        if (c.periodic()) {
            c.signalledPeriods = (t - c.loadTick) / c.divisor();
            setIrq(true);
            setIrq(false);
        } else {
            c.signalledPeriods = 1;
            setIrq(true);
        }
    }

    /** The OUT pin of {@code channel} (0-2) now, for tests and logs. */
    public boolean out(int channel) {
        return channels[channel].out(tick());
    }

    private void setIrq(boolean high) {
        if (high != irqHigh) {
            irqHigh = high;
            irq0.set(high);
        }
    }
}
