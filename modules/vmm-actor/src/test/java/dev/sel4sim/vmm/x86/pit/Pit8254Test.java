package dev.sel4sim.vmm.x86.pit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sel4sim.vmm.x86.dev.TickClock;
import dev.sel4sim.vmm.x86.dev.TimedDevice;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class Pit8254Test {
    static final TickClock CLOCK = new TickClock(1_193_182);
    long now;
    final List<Boolean> irq = new ArrayList<>();
    final Pit8254 pit = new Pit8254(() -> now, irq::add);

    private void atTick(long tick) {
        now = CLOCK.nsAt(tick);
    }

    private int read16(int port) {
        int lo = pit.read(port, 1);
        return lo | pit.read(port, 1) << 8;
    }

    private void program(int control, int port, int count) {
        pit.write(0x43, 1, control);
        pit.write(port, 1, count & 0xff);
        pit.write(port, 1, count >> 8);
    }

    @Test
    void rateGeneratorRaisesIrq0OncePerPeriodAtTheRightNanosecond() {
        // Linux's periodic tick at HZ=1000: mode 2, LATCH = 1193.
        program(0x34, 0x40, 1193);
        long first = pit.nextDeadlineNs();
        assertEquals(999_848L, first, "1193 ticks of 1.193182 MHz end 999847.5 ns in");
        now = first - 1;
        pit.update();
        assertEquals(List.of(), irq);
        now = first;
        pit.update();
        assertEquals(List.of(true, false), irq);
        assertEquals(CLOCK.nsAt(2 * 1193), pit.nextDeadlineNs());
        now = CLOCK.nsAt(5 * 1193) + 10; // three periods missed: one edge, next deadline after now
        pit.update();
        assertEquals(List.of(true, false, true, false), irq);
        assertEquals(CLOCK.nsAt(6 * 1193), pit.nextDeadlineNs());
    }

    @Test
    void rateGeneratorCountsDownAndReloads() {
        program(0x34, 0x40, 1000);
        atTick(1);
        assertEquals(999, read16(0x40));
        atTick(999);
        assertEquals(1, read16(0x40));
        atTick(1000);
        assertEquals(1000, read16(0x40));
        atTick(2500);
        assertEquals(500, read16(0x40));
    }

    @Test
    void interruptOnTerminalCountHoldsIrq0HighUntilReprogrammed() {
        program(0x30, 0x40, 100);
        assertEquals(List.of(), irq, "OUT starts low and was low");
        assertFalse(pit.out(0));
        atTick(40);
        assertEquals(60, read16(0x40));
        assertEquals(CLOCK.nsAt(100), pit.nextDeadlineNs());
        atTick(100);
        pit.update();
        assertEquals(List.of(true), irq);
        assertTrue(pit.out(0));
        assertEquals(TimedDevice.NO_DEADLINE, pit.nextDeadlineNs(), "mode 0 fires once");
        atTick(110);
        assertEquals(0xfff6, read16(0x40), "the counter wraps and keeps counting");
        program(0x30, 0x40, 100);
        assertEquals(List.of(true, false), irq);
    }

    @Test
    void latchFreezesTheReadingUntilBothBytesAreRead() {
        program(0x34, 0x40, 5000);
        atTick(10);
        pit.write(0x43, 1, 0x00); // latch channel 0
        atTick(500);
        assertEquals(4990, read16(0x40));
        assertEquals(4500, read16(0x40), "the latch is released after the high byte");
    }

    @Test
    void singleByteAccessModes() {
        pit.write(0x43, 1, 0x10); // channel 0, low byte only, mode 0
        pit.write(0x40, 1, 0x50);
        assertEquals(0x50, pit.read(0x40, 1));
        assertEquals(0x50, pit.read(0x40, 1), "no flip-flop in low-byte mode");
        pit.write(0x43, 1, 0x20); // high byte only
        pit.write(0x40, 1, 0x02);
        atTick(0x10);
        assertEquals(0x01, pit.read(0x40, 1), "0x200 - 0x10 = 0x1f0: high byte 0x01");
    }

    @Test
    void channel2GateAndOutThroughPortB() {
        // Linux's TSC calibration: gate on, speaker off, mode 0, wait for OUT2.
        pit.write(0x61, 1, (pit.read(0x61, 1) & ~0x02) | 0x01);
        program(0xb0, 0x42, 59659);
        atTick(59658);
        assertEquals(0, pit.read(0x61, 1) & 0x20);
        atTick(59659);
        assertEquals(0x20, pit.read(0x61, 1) & 0x20);
        assertEquals(List.of(), irq, "channel 2 has no interrupt");
        assertEquals(0x01, pit.read(0x61, 1) & 0x0f);
    }

    @Test
    void channel2GateLowHoldsTheCount() {
        pit.write(0x61, 1, 0x00);
        program(0xb0, 0x42, 1000);
        atTick(300);
        assertEquals(1000, read16(0x42), "gate low: nothing counted yet");
        pit.write(0x61, 1, 0x01);
        atTick(500);
        assertEquals(800, read16(0x42));
        pit.write(0x61, 1, 0x00);
        atTick(900);
        assertEquals(800, read16(0x42));
        pit.write(0x61, 1, 0x01);
        atTick(1000);
        assertEquals(700, read16(0x42), "mode 0 resumes where it paused");
    }

    @Test
    void squareWaveIsHighForTheFirstHalfOfEachPeriod() {
        program(0x36, 0x40, 10);
        for (int t = 0; t < 20; t++) {
            atTick(t);
            assertEquals(t % 10 < 5, pit.out(0), "tick " + t);
        }
    }

    @Test
    void readBackLatchesStatusAndCount() {
        program(0x34, 0x40, 1000);
        atTick(3);
        pit.write(0x43, 1, 0xc2); // read-back: count and status of channel 0
        atTick(50);
        assertEquals(0x80 | 0x30 | 0x04, pit.read(0x40, 1), "OUT high, count loaded, lo/hi, mode 2, binary");
        assertEquals(997, read16(0x40));
        pit.write(0x43, 1, 0x30); // mode 0 control word: null count until loaded
        pit.write(0x43, 1, 0xe2); // status only
        assertEquals(0x40 | 0x30, pit.read(0x40, 1));
    }

    @Test
    void bcdCountsInDecimal() {
        program(0x31, 0x40, 0x1000); // mode 0, BCD 1000
        atTick(1);
        assertEquals(0x0999, read16(0x40));
        atTick(1000);
        pit.update();
        assertEquals(List.of(true), irq);
    }

    @Test
    void modesSixAndSevenAreModesTwoAndThree() {
        pit.write(0x43, 1, 0x3c); // mode "6"
        pit.write(0x43, 1, 0xe2);
        assertEquals(0x34, pit.read(0x40, 1) & 0x3f, "read back as mode 2");
    }
}
