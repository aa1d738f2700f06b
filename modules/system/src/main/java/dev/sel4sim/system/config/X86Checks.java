package dev.sel4sim.system.config;

import dev.sel4sim.virtio.mmio.MmioMode;
import dev.sel4sim.vmm.x86.vm.X86MachineConfig;
import dev.sel4sim.vmm.x86.vm.X86Timers;
import dev.sel4sim.vmm.x86.vm.X86VirtioSpec;

import java.util.List;
import java.util.Optional;

/**
 * The x86 machine's own rules for a VM (where virtio windows may go, which lines are free), applied
 * while the file is read so that a mistake is reported at the VM's line rather than at launch.
 */
public final class X86Checks {
    private X86Checks() {
    }

    /** The board devices of a VM as its machine takes them. */
    public static List<dev.sel4sim.vmm.x86.vm.X86Passthrough> passthrough(X86Devices d) {
        return d.passthrough().stream().map(p -> new dev.sel4sim.vmm.x86.vm.X86Passthrough(p.device(),
                p.uart() ? dev.sel4sim.vmm.x86.vm.X86Passthrough.Kind.UART_16550 : dev.sel4sim.vmm.x86.vm.X86Passthrough.Kind.CMOS_RTC,
                p.firstPort(), p.portCount(), p.destIrq())).toList();
    }

    static void machine(String file, List<ConfigError> errors, int line, String vm, long ram, X86Devices d, List<VirtioDeviceSpec> virtio,
                        List<CrossVmConnectorSpec> crossVm) {
        try {
            List<X86VirtioSpec> mmio = virtio.stream().filter(v -> v.transport().equals("mmio") && v.address().isPresent() && v.irq().isPresent())
                    .map(v -> new X86VirtioSpec(v.name(), v.type().equals("net") ? X86VirtioSpec.Kind.NET : X86VirtioSpec.Kind.CONSOLE,
                            v.address().get(), v.irq().get(), v.legacy() ? MmioMode.LEGACY : MmioMode.MODERN,
                            v.type().equals("net") ? v.mac() : Optional.empty()))
                    .toList();
            new X86MachineConfig(ram, 1, new X86Timers(d.pit(), d.hpet(), d.lapicTimer()), d.lapic(), d.ioapic(), mmio,
                    crossVm.stream().map(dev.sel4sim.system.config.CrossVmParser::vmSide).toList(),
                    passthrough(d));
        } catch (IllegalArgumentException e) {
            errors.add(new ConfigError(file, line, "vm '" + vm + "': " + e.getMessage(), null));
        }
    }
}
