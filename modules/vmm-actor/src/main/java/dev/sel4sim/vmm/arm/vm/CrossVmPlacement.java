package dev.sel4sim.vmm.arm.vm;

import dev.sel4sim.vmm.crossvm.CrossVmSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks where a VM's cross-VM connectors go: each in free guest-physical space (not in RAM, flash, the GIC,
 * the UART, the RTC, the virtio windows or another connector), names unique, interrupts within the GIC's SPIs.
 */
final class CrossVmPlacement {
    private record Window(String what, long base, long end) {
        boolean overlaps(long b, long e) {
            return b < end && base < e;
        }
    }

    private CrossVmPlacement() {
    }

    static void check(String vm, long ramBase, long ramSize, long firmwareBase, ArmVmLayout layout,
                      List<CrossVmSpec> connectors) {
        if (connectors.isEmpty()) {
            return;
        }
        if (connectors.size() > ArmVmSpec.CROSS_VM_MAX) {
            throw new IllegalArgumentException("VM " + vm + ": at most " + ArmVmSpec.CROSS_VM_MAX + " cross-VM connectors, not "
                    + connectors.size());
        }
        int lastIntid = ArmVmSpec.CROSS_VM_INTID + connectors.size() - 1;
        if (lastIntid >= 32 + layout.spiCount() || layout.virtioIntid() + layout.virtioSlots() > ArmVmSpec.CROSS_VM_INTID) {
            throw new IllegalArgumentException("VM " + vm + ": the layout has no free SPIs for " + connectors.size()
                    + " cross-VM connectors");
        }
        List<Window> taken = new ArrayList<>(List.of(
                new Window("RAM", ramBase, ramBase + ramSize),
                new Window("the GIC distributor", layout.gicDistributor(), layout.gicDistributor() + 0x1_0000),
                new Window("the GIC CPU interface", layout.gicCpuInterface(), layout.gicCpuInterface() + 0x1_0000),
                // QEMU virt's redistributor region, enough for its 123 CPUs.
                new Window("the GIC redistributors", layout.gicRedistributors(), layout.gicRedistributors() + 0xf6_0000),
                new Window("the PL011 UART", layout.uart(), layout.uart() + 0x1000),
                new Window("the PL031 RTC", layout.rtc(), layout.rtc() + 0x1000),
                new Window("the virtio-mmio windows", layout.virtioBase(), layout.virtioWindow(layout.virtioSlots()))));
        if (firmwareBase >= 0) {
            taken.add(new Window("the firmware flash", firmwareBase, firmwareBase + (128L << 20)));
        }
        Set<String> names = new HashSet<>();
        for (CrossVmSpec c : connectors) {
            if (!names.add(c.name())) {
                throw new IllegalArgumentException("VM " + vm + ": two cross-VM connectors named '" + c.name() + "'");
            }
            for (Window w : taken) {
                if (w.overlaps(c.address(), c.end())) {
                    throw new IllegalArgumentException(String.format("VM %s: cross-VM connector %s at 0x%x-0x%x overlaps %s at 0x%x-0x%x",
                            vm, c.name(), c.address(), c.end() - 1, w.what(), w.base(), w.end() - 1));
                }
            }
            taken.add(new Window("cross-VM connector " + c.name(), c.address(), c.end()));
        }
    }
}
