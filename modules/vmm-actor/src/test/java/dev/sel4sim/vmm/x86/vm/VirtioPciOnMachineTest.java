package dev.sel4sim.vmm.x86.vm;

import dev.sel4sim.vmm.cpu.unicorn.UnicornLibrary;
import dev.sel4sim.vmm.x86.cpu.unicorn.UnicornX86Library;
import dev.sel4sim.vmm.x86.pic.Pic8259Pair;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Virtio-pci functions on the machine's bus, as a guest scanning PCI finds them. */
class VirtioPciOnMachineTest {
    private static int config(X86Machine m, int device, int offset) {
        m.ports().write(0xcf8, 4, 0x8000_0000 | device << 11 | offset);
        return m.ports().read(0xcfc, 4);
    }

    @Test
    void functionsAreFoundPlacedAndRoutedAsFirmwareLeavesThem() {
        assumeTrue(UnicornLibrary.available(), "Unicorn not set up (scripts/setup.sh)");
        X86MachineConfig c = new X86MachineConfig(32L << 20, 1).withVirtio(List.of(
                X86VirtioSpec.pci("eth0", X86VirtioSpec.Kind.NET, 10, Optional.of("52:54:00:12:34:56")),
                X86VirtioSpec.pci("hvc", X86VirtioSpec.Kind.CONSOLE, 11, Optional.empty())));
        try (X86Machine m = new X86Machine(UnicornX86Library.locate(), c)) {
            assertEquals(0x1237_8086, config(m, 0, 0), "the host bridge at 00:00.0");
            assertEquals(0x1000_1af4, config(m, 3, 0), "virtio-net (transitional) at 00:03.0");
            assertEquals(0x1003_1af4, config(m, 4, 0), "virtio-console (transitional) at 00:04.0");
            assertEquals(0xc001, config(m, 3, 0x10), "BAR0 in I/O space at 0xc000");
            assertEquals(10, config(m, 3, 0x3c) & 0xff, "Interrupt Line");
            assertEquals(11, config(m, 4, 0x3c) & 0xff);
            assertEquals(-1, config(m, 5, 0), "nothing at 00:05.0");
            // Both lines level-triggered, as the PIC must see shared PCI lines.
            assertEquals(0x0c, m.ports().read(Pic8259Pair.ELCR_SLAVE, 1) & 0x0c);
            // The legacy register block answers at the BAR: the net device offers the MAC feature (bit 5).
            assertTrue((m.ports().read(0xc000, 4) & (1 << 5)) != 0);
            assertEquals(0x56, m.ports().read(0xc000 + 20 + 5, 1), "the MAC's last byte in the device config");
        }
    }
}
