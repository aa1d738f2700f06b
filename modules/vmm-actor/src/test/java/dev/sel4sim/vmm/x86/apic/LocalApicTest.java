package dev.sel4sim.vmm.x86.apic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sel4sim.vmm.x86.dev.TimedDevice;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalApicTest {
    long now;
    final List<Boolean> line = new ArrayList<>();
    final List<Ipi> ipis = new ArrayList<>();
    final List<Integer> eois = new ArrayList<>();
    final LocalApic apic = new LocalApic(0, () -> now, 100_000_000L, line::add, ipis::add, eois::add);

    private long r(int off) {
        return apic.read(0, off, 4);
    }

    private void w(int off, long value) {
        apic.write(0, off, 4, value);
    }

    private void enable() {
        w(0x0f0, 0x1ff);
    }

    @Test
    void resetState() {
        assertEquals(0x0005_0014L, r(0x030));
        assertEquals(0xffL, r(0x0f0), "software-disabled, spurious vector 0xff");
        assertEquals(0xffff_ffffL, r(0x0e0));
        for (int off = 0x320; off <= 0x370; off += 0x10) {
            assertEquals(0x10000L, r(off), "LVT " + Integer.toHexString(off) + " masked");
        }
        assertEquals(0L, r(0x020));
        LocalApic other = new LocalApic(3, () -> now, 1_000_000L, line::add, ipis::add, eois::add);
        assertEquals(0x0300_0000L, other.read(0, 0x020, 4));
    }

    @Test
    void lvtEntriesStayMaskedWhileTheApicIsSoftwareDisabled() {
        w(0x320, 0x20030);
        assertEquals(0x30030L, r(0x320) & 0x300ff);
        enable();
        w(0x320, 0x20030);
        assertEquals(0x20030L, r(0x320));
        w(0x0f0, 0x0ff);
        assertEquals(0x10000L, r(0x320) & 0x10000, "disabling masks every LVT entry");
    }

    @Test
    void oneShotTimerCountsDownAndFiresOnce() {
        enable();
        w(0x3e0, 0xb); // divide by 1
        w(0x320, 0xef); // one-shot, vector 0xef
        w(0x380, 1000); // 1000 ticks of 100 MHz = 10 us
        now = 5_000;
        assertEquals(500L, r(0x390));
        assertEquals(10_000L, apic.nextDeadlineNs());
        now = 9_999;
        apic.update();
        assertEquals(List.of(), line);
        now = 10_000;
        apic.update();
        assertEquals(List.of(true), line);
        assertEquals(0L, r(0x390));
        assertEquals(TimedDevice.NO_DEADLINE, apic.nextDeadlineNs());
        assertEquals(0xef, apic.acknowledge());
        assertEquals(List.of(true, false), line);
        assertEquals(1L << 15, r(0x170), "vector 0xef in service");
        w(0x0b0, 0);
        assertEquals(0L, r(0x170));
        assertEquals(List.of(), eois, "edge-triggered: no EOI broadcast");
        now = 50_000;
        apic.update();
        assertEquals(-1, apic.pendingVector());
    }

    @Test
    void periodicTimerReloadsWithTheDivider() {
        enable();
        w(0x3e0, 0x3); // divide by 16
        w(0x320, 0x20000 | 0xec);
        w(0x380, 625); // 625 * 16 = 10000 ticks = 100 us
        now = 150_000;
        assertEquals(100_000L, apic.nextDeadlineNs(), "the first expiry is still owed");
        assertEquals(313L, r(0x390), "15000 ticks / 16 = 937 counts; 937 mod 625 = 312 into the second period");
        assertEquals(0xec, apic.pendingVector());
        assertEquals(200_000L, apic.nextDeadlineNs());
        apic.acknowledge();
        w(0x0b0, 0);
        now = 200_000;
        apic.update();
        assertEquals(0xec, apic.pendingVector());
        assertEquals(625L, r(0x390), "reloaded");
        w(0x380, 0);
        assertEquals(TimedDevice.NO_DEADLINE, apic.nextDeadlineNs(), "an initial count of 0 stops the timer");
        assertEquals(0L, r(0x390));
    }

    @Test
    void divideConfigurationSelectsAllEightDivisors() {
        enable();
        int[] configs = {0x0, 0x1, 0x2, 0x3, 0x8, 0x9, 0xa, 0xb};
        int[] divisors = {2, 4, 8, 16, 32, 64, 128, 1};
        for (int i = 0; i < configs.length; i++) {
            now = 1_000_000L * i;
            w(0x3e0, configs[i]);
            w(0x380, 1_000_000);
            now += 1_280; // 128 bus ticks
            assertEquals(1_000_000L - 128 / divisors[i], r(0x390), "divide config " + configs[i]);
        }
    }

    @Test
    void taskAndProcessorPriorityGateDelivery() {
        enable();
        w(0x080, 0x50);
        apic.accept(0x45, false);
        assertEquals(-1, apic.pendingVector(), "class 4 is below TPR class 5");
        apic.accept(0x61, false);
        assertEquals(0x61, apic.pendingVector());
        w(0x080, 0);
        assertEquals(0x61, apic.acknowledge());
        assertEquals(0x60L, r(0x0a0), "PPR follows the in-service class");
        apic.accept(0x65, false);
        assertEquals(-1, apic.pendingVector(), "same class as the one in service");
        apic.accept(0x91, false);
        assertEquals(0x91, apic.acknowledge());
        w(0x0b0, 0); // ends 0x91
        w(0x0b0, 0); // ends 0x61
        assertEquals(0x65, apic.acknowledge());
        assertEquals(-1, apic.pendingVector(), "0x45 waits for 0x65's EOI");
        w(0x0b0, 0);
        assertEquals(0x45, apic.acknowledge());
        assertEquals(0xff, apic.acknowledge(), "nothing left: the spurious vector");
    }

    @Test
    void levelTriggeredInterruptsBroadcastTheirEoi() {
        enable();
        apic.accept(0x41, true);
        assertEquals(1L << 1, r(0x180 + 0x20), "TMR bit for 0x41");
        apic.acknowledge();
        w(0x0b0, 0);
        assertEquals(List.of(0x41), eois);
    }

    @Test
    void illegalVectorsSetTheErrorStatus() {
        enable();
        apic.accept(5, false);
        assertEquals(-1, apic.pendingVector());
        assertEquals(0L, r(0x280), "ESR updates on the next write");
        w(0x280, 0);
        assertEquals(0x40L, r(0x280));
        w(0x280, 0);
        assertEquals(0L, r(0x280));
    }

    @Test
    void selfIpisStayHereOthersGoToTheSink() {
        enable();
        w(0x300, (1 << 18) | 0x31); // shorthand self
        assertEquals(0x31, apic.pendingVector());
        assertEquals(List.of(), ipis);
        w(0x310, 0L); // physical destination 0 is this APIC
        w(0x300, 0x32);
        assertEquals(List.of(), ipis);
        assertEquals(0x32, apic.pendingVector());
        w(0x310, 1L << 24);
        w(0x300, 0x4500); // INIT to APIC 1, level assert
        assertEquals(List.of(new Ipi(0, 0, 1, false, Ipi.INIT, 0, true, false)), ipis);
        w(0x300, (3 << 18) | 0x0600 | 0x9f); // start-up to all but self
        assertEquals(new Ipi(0, 3, 1, false, Ipi.STARTUP, 0x9f, false, false), ipis.get(1));
        assertEquals(0L, r(0x300) & (1 << 12), "delivery status idle");
    }

    @Test
    void logicalDestinationsInFlatAndClusterModels() {
        w(0x0d0, 0x0400_0000); // logical ID 0x04
        assertTrue(apic.matchesDestination(0x06, true));
        assertFalse(apic.matchesDestination(0x01, true));
        w(0x0e0, 0x0fff_ffff); // cluster model
        w(0x0d0, 0x2100_0000); // cluster 2, member 1
        assertTrue(apic.matchesDestination(0x23, true));
        assertFalse(apic.matchesDestination(0x13, true));
        assertTrue(apic.matchesDestination(0xff, false));
        assertTrue(apic.matchesDestination(0x00, false));
        assertFalse(apic.matchesDestination(0x01, false));
    }

    @Test
    void extIntThroughLint0() {
        enable();
        assertFalse(apic.acceptsExtInt());
        w(0x350, 0x700);
        assertTrue(apic.acceptsExtInt());
    }
}
