package dev.sel4sim.vmm.x86.vm;

import dev.sel4sim.virtio.mmio.MmioMode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a machine configuration accepts, and the errors that say what to write instead. */
class X86MachineConfigTest {
    static final long RAM = 64L << 20;

    static X86MachineConfig deos() {
        return new X86MachineConfig(RAM, 1).withApics(true, false).withTimers(X86Timers.LAPIC_ONLY);
    }

    static String error(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void thePlainPcHasThePitAndNoApics() {
        X86MachineConfig c = new X86MachineConfig(RAM, 1);
        assertEquals(X86Timers.PIT_ONLY, c.timers());
        assertFalse(c.lapic());
        assertFalse(c.ioapic());
        assertTrue(c.virtio().isEmpty());
    }

    @Test
    void theLocalApicTimerAndTheIoApicNeedTheLocalApic() {
        assertTrue(error(() -> new X86MachineConfig(RAM, 1).withTimers(X86Timers.LAPIC_ONLY)).contains("set lapic"));
        assertTrue(error(() -> new X86MachineConfig(RAM, 1).withApics(false, true)).contains("local APIC"));
    }

    @Test
    void aVirtioDeviceAtAStaticAddressAndLine() {
        X86MachineConfig c = deos().withVirtio(List.of(X86VirtioSpec.net("eth0", 0xfeb0_0000L, 5, MmioMode.LEGACY,
                "52:54:00:00:00:02")));
        assertEquals(0xfeb0_0000L, c.virtio().get(0).base());
        assertEquals("52:54:00:00:00:02", c.virtio().get(0).macOrDefault());
        String derived = X86VirtioSpec.console("con", 0xfeb0_1000L, 6, MmioMode.MODERN).macOrDefault();
        assertTrue(derived.startsWith("52:54:00:"), derived);
    }

    @Test
    void badVirtioPlacementsAreRefusedWithTheReason() {
        assertTrue(error(() -> deos().withVirtio(List.of(X86VirtioSpec.net("n", 0x100_0000L, 5, MmioMode.MODERN, "52:54:00:00:00:01"))))
                .contains("end of RAM"));
        assertTrue(error(() -> deos().withVirtio(List.of(X86VirtioSpec.net("n", 0xfeb0_0800L, 5, MmioMode.MODERN, "52:54:00:00:00:01"))))
                .contains("page-aligned"));
        assertTrue(error(() -> deos().withVirtio(List.of(X86VirtioSpec.net("n", 0xfee0_0000L, 5, MmioMode.MODERN, "52:54:00:00:00:01"))))
                .contains("local APIC"));
        assertTrue(error(() -> deos().withVirtio(List.of(X86VirtioSpec.net("n", 0xfeb0_0000L, 4, MmioMode.MODERN, "52:54:00:00:00:01"))))
                .contains("COM1"));
        assertTrue(error(() -> deos().withVirtio(List.of(X86VirtioSpec.net("n", 0xfeb0_0000L, 20, MmioMode.MODERN, "52:54:00:00:00:01"))))
                .contains("no IOAPIC"), "line 20 needs an IOAPIC");
        deos().withApics(true, true).withVirtio(List.of(X86VirtioSpec.net("n", 0xfeb0_0000L, 20, MmioMode.MODERN, "52:54:00:00:00:01")));
        assertTrue(error(() -> deos().withVirtio(List.of(X86VirtioSpec.console("a", 0xfeb0_0000L, 5, MmioMode.MODERN),
                X86VirtioSpec.console("b", 0xfeb0_0000L, 6, MmioMode.MODERN)))).contains("already at"));
        assertTrue(error(() -> deos().withVirtio(List.of(X86VirtioSpec.console("a", 0xfeb0_0000L, 5, MmioMode.MODERN),
                X86VirtioSpec.console("b", 0xfeb0_1000L, 5, MmioMode.MODERN)))).contains("its own line"));
        assertTrue(error(() -> deos().withVirtio(List.of(X86VirtioSpec.console("a", 0xfeb0_0000L, 5, MmioMode.MODERN),
                X86VirtioSpec.console("a", 0xfeb0_1000L, 6, MmioMode.MODERN)))).contains("used twice"));
        assertTrue(error(() -> X86VirtioSpec.net("n", 0xfeb0_0000L, 5, MmioMode.MODERN, "52:54:00")).contains("six hex octets"));
    }
}
