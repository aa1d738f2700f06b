package dev.sel4sim.system;

import dev.sel4sim.system.assembly.FileServers;
import dev.sel4sim.system.assembly.Systems;
import dev.sel4sim.system.assembly.VmLauncher;
import dev.sel4sim.system.config.ConfigError;
import dev.sel4sim.system.config.SystemSpec;
import dev.sel4sim.vmm.run.VmClock;
import dev.sel4sim.vmm.x86.vm.X86VmSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** VMs on an x86 board: PC defaults, and the ARM-only keys refused at their line with the fix. */
class X86VmConfigTest {
    static String system(String vm) {
        return VmConfigTest.system(vm).replace("qemu-arm-virt", "pc99");
    }

    static List<ConfigError> errors(String vm) {
        return VmConfigTest.errors(system(vm));
    }

    static void assertError(List<ConfigError> errors, String what) {
        assertTrue(errors.stream().anyMatch(e -> e.toString().contains(what) && e.line() == 5), errors.toString());
    }

    @Test
    void anX86VmIsAnI686PcWhoseImagesAndCommandLineGoToItsSpec(@TempDir Path dir) throws Exception {
        Path bz = Files.createFile(dir.resolve("bz"));
        Path rd = Files.createFile(dir.resolve("rd"));
        SystemSpec s = Systems.loadText(system("    { name = vm0, ram = 128M, kernel = \"" + bz + "\", initrd = \"" + rd
                + "\", bootargs = \"console=ttyS0\", clock = deterministic }\n"), VmConfigTest.FILE);
        assertTrue(VmLauncher.x86(s));
        assertEquals("i686", s.vms().getFirst().cpu());
        X86VmSpec spec = VmLauncher.x86Spec(s, s.vms().getFirst(), FileServers.of(s));
        assertEquals(128L << 20, spec.machine().ramBytes());
        assertEquals(VmClock.DETERMINISTIC, spec.clock());
        assertEquals("console=ttyS0", spec.cmdline());
        assertTrue(spec.kernel().describe().endsWith("bz") && spec.initrd().orElseThrow().describe().endsWith("rd"));
    }

    @Test
    void boardDevicesArePassedThroughByCamkesStyleListsAndReachTheMachine(@TempDir Path dir) throws Exception {
        Path bz = Files.createFile(dir.resolve("bz"));
        SystemSpec s = Systems.loadText(system("    { name = vm0, kernel = \"" + bz + "\", ioports = [ { name = cmos-rtc, start = 0x70, end = 0x71 },"
                + " { name = com2, start = 0x2f8, end = 0x2ff } ], irqs = [ { name = com2, source = 3, dest = 3 } ] }\n"), VmConfigTest.FILE);
        var p = s.vms().getFirst().x86().passthrough();
        assertEquals(2, p.size());
        assertEquals("cmos-rtc", p.get(0).device());
        assertEquals(-1, p.get(0).destIrq(), "the clock's interrupt is not routed");
        assertEquals(0x2f8, p.get(1).firstPort());
        assertEquals(3, p.get(1).destIrq());
        X86VmSpec spec = VmLauncher.x86Spec(s, s.vms().getFirst(), FileServers.of(s));
        assertTrue(spec.machine().boardRtc());
        assertEquals(dev.sel4sim.vmm.x86.vm.X86Passthrough.Kind.UART_16550, spec.machine().passthrough().get(1).kind());
    }

    @Test
    void passthroughMistakesAreRefusedAtTheirLineWithTheFix() {
        assertError(errors("    { name = vm0, kernel = \"k\", ioports = [ { name = nic, start = 0x300, end = 0x31f } ] }\n"),
                "board pc99 has no device 'nic' to pass through");
        assertError(errors("    { name = vm0, kernel = \"k\", ioports = [ { name = com2, start = 0x2f8, end = 0x2f9 } ] }\n"),
                "start = 0x2f8, end = 0x2ff");
        assertError(errors("    { name = vm0, kernel = \"k\", ioports = [ { name = com1, start = 0x3f8, end = 0x3ff } ] }\n"),
                "com1 is the kernel's console");
        assertError(errors("    { name = vm0, kernel = \"k\", irqs = [ { name = com2, source = 4, dest = 3 } ] }\n"),
                "com2 raises line [3], not 4");
        assertError(errors("    { name = vm0, kernel = \"k\", irqs = [ { name = com2, source = 3, dest = 3 } ] }\n"),
                "no ioports entry gives the VM that device");
        assertError(errors("    { name = vm0, kernel = \"k\", ioports = [ { name = com2, start = 0x2f8, end = 0x2ff } ],"
                + " irqs = [ { name = com2, source = 3, dest = 4 } ] }\n"), "line 4 is already used");
        assertError(errors("    { name = vm0, kernel = \"k\", pci_devices = [ { name = ahci, bus = 0, dev = 31, fun = 2 } ] }\n"),
                "has no PCI functions to pass through");
        List<ConfigError> two = errors("    { name = vm0, kernel = \"k\", ram = 64M, ioports = [ { name = com2, start = 0x2f8, end = 0x2ff } ] }\n"
                + "    { name = vm1, kernel = \"k\", ram = 64M, ioports = [ { name = com2, start = 0x2f8, end = 0x2ff } ] }\n");
        assertTrue(two.stream().anyMatch(e -> e.toString().contains("com2 is already given to vm 'vm0'") && e.line() == 6), two.toString());
    }

    @Test
    void armOnlyKeysAndSmpAreRefusedWithTheFix() {
        assertError(errors("    { name = vm0, kernel = \"k\", gic = 3 }\n"), "has no GIC");
        assertError(errors("    { name = vm0, kernel = \"k\", vcpus = 2 }\n"), "vcpus = 1");
        assertError(errors("    { name = vm0, kernel = \"k\", cpu = cortex-a53 }\n"), "unknown x86 CPU model");
        assertError(errors("    { name = vm0, firmware = \"u-boot.bin\" }\n"), "boots its kernel directly");
        assertError(errors("    { name = vm0, kernel = \"k\", ram = 4G }\n"), "at most 3G");
        assertError(errors("    { name = vm0, kernel = \"k\", ram-base = 0x40000000 }\n"), "starts at 0");
    }

    @Test
    void timersApicsAndVirtioWindowsAreReadAndCheckedAgainstTheMachine() {
        SystemSpec s = Systems.loadText(system("    { name = vm0, kernel = \"k\", timers = [lapic], ioapic = true,\n"
                + "      virtio = [ { name = eth0, type = net, transport = mmio, address = \"0xfeb00000\", irq = 5, legacy = true } ] }\n"),
                VmConfigTest.FILE);
        var vm = s.vms().getFirst();
        assertEquals(new dev.sel4sim.system.config.X86Devices(false, false, true, true, true, java.util.List.of()), vm.x86());
        var eth = vm.virtio().getFirst();
        assertEquals("mmio", eth.transport());
        assertEquals(0xfeb00000L, eth.address().orElseThrow());
        assertEquals(5, eth.irq().orElseThrow());

        assertError(errors("    { name = vm0, kernel = \"k\", timers = [tsc] }\n"), "unknown x86 timer 'tsc'");
        assertError(errors("    { name = vm0, kernel = \"k\", timers = [lapic], lapic = false }\n"), "lapic = true");
        assertError(errors("    { name = vm0, kernel = \"k\", ioapic = true }\n"), "delivers to a local APIC");
        assertTrue(errors("    { name = vm0, kernel = \"k\",\n      virtio = [ { name = e, type = net, transport = mmio, irq = 5 } ] }\n")
                .stream().anyMatch(e -> e.toString().contains("needs its address and interrupt line")));
        // The machine's own rule: a window inside RAM is refused at the VM's line, not at launch.
        assertError(errors("    { name = vm0, kernel = \"k\", ram = 256M, virtio = [ { name = e, type = net, transport = mmio,"
                + " address = \"0x1000000\", irq = 5 } ] }\n"), "between the end of RAM");
        assertError(errors("    { name = vm0, kernel = \"k\", virtio = [ { name = e, type = net, irq = 4 } ] }\n"), "not 2, 4 or 8");
    }
}
