package dev.sel4sim.vmm.x86.vm;

import dev.sel4sim.vmm.cpu.unicorn.UnicornLibrary;
import dev.sel4sim.vmm.x86.cpu.unicorn.UnicornX86Library;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Each timer a machine can be configured with, programmed by a tiny guest to a 1 ms period and
 * waited for in HLT five times: the interrupt comes through the configured controllers, through the
 * guest's IDT, at the right simulated time (5 ms, plus the few instructions of set-up).
 */
@Timeout(60) // a lost interrupt leaves the guest halted with time jumping from deadline to deadline
class ConfigurableTimersTest {
    static final long LAPIC = 0xfee0_0000L;
    static final long IOAPIC = 0xfec0_0000L;
    static final long HPET = 0xfed0_0000L;
    static final long MIB4 = 4L << 20;

    @BeforeEach
    void engine() {
        assumeTrue(UnicornLibrary.available(), "Unicorn not set up (scripts/setup.sh)");
    }

    static X86MachineConfig pc(X86Timers timers, boolean lapic, boolean ioapic) {
        return new X86MachineConfig(MIB4, 1).withApics(lapic, ioapic).withTimers(timers);
    }

    static final long MS = 1_000_000;
    /** The PIT's period for divisor 1193: 0.99985 ms. */
    static final long PIT_PERIOD = 1193L * 1_000_000_000L / 1_193_182L;

    static X86Machine runFiveTicks(X86MachineConfig config, GuestCode guest) throws Exception {
        return runFiveTicks(config, guest, MS);
    }

    /** Runs the guest to its final HLT and checks five ticks came at {@code periodNs} of simulated time. */
    static X86Machine runFiveTicks(X86MachineConfig config, GuestCode guest, long periodNs) throws Exception {
        X86Machine m = new X86Machine(UnicornX86Library.locate(), config);
        m.bootMultiboot(guest.image(), "", List.of());
        X86RunResult r = m.run(1_000_000);
        assertEquals(X86RunResult.Outcome.HALTED, r.outcome(), r + " " + m.deviceNotes());
        assertEquals(5, word(m, GuestCode.COUNTER), "timer interrupts handled");
        // The few hundred nanoseconds of set-up before the timer starts, and the handlers, add a little.
        assertTrue(r.nowNs() >= 5 * periodNs && r.nowNs() < 5 * periodNs + 10_000, "simulated time " + r.nowNs());
        assertTrue(r.instructions() < 10_000, "halted time is not spent executing: " + r.instructions());
        return m;
    }

    static int word(X86Machine m, long address) {
        return ByteBuffer.wrap(m.cpu().readLinear(address, 4)).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    /** Enables the local APIC (spurious vector 0xFF). */
    static GuestCode enableLapic(GuestCode g) {
        return g.store32(LAPIC + 0xf0, 0x1ff);
    }

    /** Routes an IOAPIC input, edge-triggered, fixed, to APIC 0 at {@code vector}. */
    static GuestCode route(GuestCode g, int pin, int vector) {
        return g.store32(IOAPIC, 0x10 + 2 * pin).store32(IOAPIC + 0x10, vector)
                .store32(IOAPIC, 0x11 + 2 * pin).store32(IOAPIC + 0x10, 0);
    }

    static GuestCode tickHandlerWithLapicEoi(GuestCode g, int vector) {
        return g.handler(vector).inc32(GuestCode.COUNTER).store32(LAPIC + 0xb0, 0).iret();
    }

    @Test
    void lapicTimerAloneTicksPeriodically() throws Exception {
        GuestCode g = enableLapic(new GuestCode())
                .store32(LAPIC + 0x3e0, 0x3)          // divide by 16: 6.25 MHz
                .store32(LAPIC + 0x320, 0x20040)      // periodic, vector 0x40
                .store32(LAPIC + 0x380, 6250)         // 1 ms
                .loadIdtAndEnable().waitForCount(5);
        tickHandlerWithLapicEoi(g, 0x40);
        try (X86Machine m = runFiveTicks(pc(X86Timers.LAPIC_ONLY, true, false), g)) {
            assertNull(m.pit(), "no PIT");
            assertNull(m.hpet(), "no HPET");
            assertEquals(0xff, m.ports().read(0x40, 1), "nothing answers at the PIT's ports");
        }
    }

    @Test
    void withoutUseLapicTheLocalApicTimerNeverFires() throws Exception {
        GuestCode g = enableLapic(new GuestCode())
                .store32(LAPIC + 0x3e0, 0x3).store32(LAPIC + 0x320, 0x20040).store32(LAPIC + 0x380, 6250)
                .copy32(LAPIC + 0x380, GuestCode.COUNTER + 4)
                .loadIdtAndEnable().waitForCount(5);
        tickHandlerWithLapicEoi(g, 0x40);
        try (X86Machine m = new X86Machine(UnicornX86Library.locate(), pc(new X86Timers(false, false, false), true, false))) {
            m.bootMultiboot(g.image(), "", List.of());
            X86RunResult r = m.run(1_000_000);
            assertEquals(X86RunResult.Outcome.HALTED, r.outcome(), "halted with nothing to wake it");
            assertTrue(m.halted());
            assertEquals(0, word(m, GuestCode.COUNTER), "no timer interrupt");
            assertEquals(0, word(m, GuestCode.COUNTER + 4), "the initial count does not take");
        }
    }

    @Test
    void pitReachesTheProcessorThroughTheIoApicInput2() throws Exception {
        GuestCode g = new GuestCode().outb(0x21, 0xff).outb(0xa1, 0xff); // every 8259 input masked
        enableLapic(g);
        route(g, 2, 0x41);
        g.outb(0x43, 0x34).outb(0x40, 0xa9).outb(0x40, 0x04)              // mode 2, divisor 1193: 1 ms
                .loadIdtAndEnable().waitForCount(5);
        tickHandlerWithLapicEoi(g, 0x41);
        try (X86Machine m = runFiveTicks(pc(X86Timers.PIT_ONLY, true, true), g, PIT_PERIOD)) {
            assertTrue(m.ioApic() != null && m.localApic() != null);
        }
    }

    @Test
    void hpetTimerRoutedToAnIoApicInput() throws Exception {
        GuestCode g = enableLapic(new GuestCode());
        route(g, 20, 0x42);
        g.store32(HPET + 0x100, 20 << 9 | 1 << 8 | 1 << 6 | 1 << 3 | 1 << 2) // route 20, 32-bit, set value, periodic, on
                .store32(HPET + 0x108, 100_000)                             // 1 ms of 10 ns ticks
                .store32(HPET + 0x10, 1)                                    // counter runs
                .loadIdtAndEnable().waitForCount(5);
        tickHandlerWithLapicEoi(g, 0x42);
        runFiveTicks(pc(new X86Timers(false, true, false), true, true), g).close();
    }

    @Test
    void hpetLegacyReplacementReachesThe8259WithoutApics() throws Exception {
        GuestCode g = initPic(new GuestCode(), 0xfe)
                .store32(HPET + 0x100, 1 << 8 | 1 << 6 | 1 << 3 | 1 << 2)
                .store32(HPET + 0x108, 100_000)
                .store32(HPET + 0x10, 3)                                    // running, legacy replacement
                .loadIdtAndEnable().waitForCount(5);
        g.handler(0x20).inc32(GuestCode.COUNTER).b(0xb0, 0x20, 0xe6, 0x20).iret();
        runFiveTicks(pc(new X86Timers(false, true, false), false, false), g).close();
    }

    @Test
    void the8259ReachesTheProcessorThroughLint0AsTheFirmwareLeftIt() throws Exception {
        GuestCode g = initPic(new GuestCode(), 0xfe)
                .outb(0x43, 0x34).outb(0x40, 0xa9).outb(0x40, 0x04)
                .loadIdtAndEnable().waitForCount(5);
        g.handler(0x20).inc32(GuestCode.COUNTER).b(0xb0, 0x20, 0xe6, 0x20).iret();
        runFiveTicks(pc(X86Timers.PIT_ONLY, true, false), g, PIT_PERIOD).close();
    }

    @Test
    void cpuidAndTheApicPageTellTheTruth() throws Exception {
        for (boolean lapic : new boolean[] {false, true}) {
            GuestCode g = new GuestCode()
                    .b(0xb8).imm32(1).b(0x0f, 0xa2)                 // mov eax, 1; cpuid
                    .b(0x89, 0x15).imm32(GuestCode.COUNTER)          // mov [COUNTER], edx
                    .copy32(LAPIC + 0x30, GuestCode.COUNTER + 4)     // the APIC version register
                    .b(0xfa, 0xf4);
            try (X86Machine m = new X86Machine(UnicornX86Library.locate(), pc(X86Timers.PIT_ONLY, lapic, false))) {
                m.bootMultiboot(g.image(), "", List.of());
                assertEquals(X86RunResult.Outcome.HALTED, m.run(100_000).outcome());
                assertEquals(lapic, (word(m, GuestCode.COUNTER) & (1 << 9)) != 0, "CPUID.1:EDX.APIC with lapic=" + lapic);
                assertEquals(lapic ? 0x0005_0014 : -1, word(m, GuestCode.COUNTER + 4), "APIC version, lapic=" + lapic);
            }
        }
    }

    /** ICW1-4 for both 8259s (vectors 0x20 and 0x28), then the master's mask. */
    static GuestCode initPic(GuestCode g, int masterMask) {
        return g.outb(0x20, 0x11).outb(0xa0, 0x11).outb(0x21, 0x20).outb(0xa1, 0x28)
                .outb(0x21, 0x04).outb(0xa1, 0x02).outb(0x21, 0x01).outb(0xa1, 0x01)
                .outb(0x21, masterMask).outb(0xa1, 0xff);
    }
}
