package dev.sel4sim.vmm.x86.vm;

import dev.sel4sim.virtio.mmio.MmioMode;
import dev.sel4sim.vmm.cpu.unicorn.UnicornLibrary;
import dev.sel4sim.vmm.x86.cpu.unicorn.UnicornX86Library;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Virtio-mmio windows where the configuration puts them, with the open bus around them. */
class VirtioWindowTest {
    static final long CONSOLE = 0xfeb0_0000L;
    static final long NET = 0xfeb0_2000L;

    @Test
    void theGuestFindsEachDeviceAtItsAddressAndNothingBetween() throws Exception {
        assumeTrue(UnicornLibrary.available(), "Unicorn not set up (scripts/setup.sh)");
        X86MachineConfig config = new X86MachineConfig(4L << 20, 1).withVirtio(List.of(
                X86VirtioSpec.console("con", CONSOLE, 5, MmioMode.LEGACY),
                X86VirtioSpec.net("eth", NET, 6, MmioMode.MODERN, "52:54:00:00:00:09")));
        int at = GuestCode.COUNTER;
        GuestCode g = new GuestCode()
                .copy32(CONSOLE, at).copy32(CONSOLE + 4, at + 4).copy32(CONSOLE + 8, at + 8)
                .copy32(NET + 4, at + 12).copy32(NET + 8, at + 16)
                .copy32(CONSOLE + 0x800, at + 20)       // past the registers, inside the page
                .copy32(CONSOLE + 0x1000, at + 24)      // the page between the two windows
                .b(0xfa, 0xf4);
        try (X86Machine m = new X86Machine(UnicornX86Library.locate(), config)) {
            m.bootMultiboot(g.image(), "", List.of());
            assertEquals(X86RunResult.Outcome.HALTED, m.run(100_000).outcome());
            assertEquals(0x74726976, ConfigurableTimersTest.word(m, at), "magic \"virt\"");
            assertEquals(1, ConfigurableTimersTest.word(m, at + 4), "legacy layout");
            assertEquals(3, ConfigurableTimersTest.word(m, at + 8), "console device ID");
            assertEquals(2, ConfigurableTimersTest.word(m, at + 12), "modern layout");
            assertEquals(1, ConfigurableTimersTest.word(m, at + 16), "net device ID");
            assertEquals(0, ConfigurableTimersTest.word(m, at + 20));
            assertEquals(-1, ConfigurableTimersTest.word(m, at + 24), "open bus");
            assertEquals(2, m.virtio().size());
            assertTrue(m.virtio().get(0).console().isPresent());
            assertTrue(m.virtio().get(1).net().isPresent());
            assertEquals(NET, m.virtio().get(1).spec().base());
        }
    }
}
