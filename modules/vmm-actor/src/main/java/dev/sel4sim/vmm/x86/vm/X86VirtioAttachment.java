package dev.sel4sim.vmm.x86.vm;

import dev.sel4sim.virtio.console.VirtioConsole;
import dev.sel4sim.virtio.device.VirtioDevice;
import dev.sel4sim.virtio.mmio.VirtioMmioTransport;
import dev.sel4sim.virtio.net.VirtioNet;

import java.util.Optional;

/**
 * A virtio device as the machine has it: its spec, the device (whose streams the system connects)
 * and its transport: a virtio-mmio window or a legacy virtio-pci function, as the spec says.
 */
public record X86VirtioAttachment(X86VirtioSpec spec, VirtioDevice device, Optional<VirtioMmioTransport> mmio,
                                  Optional<dev.sel4sim.vmm.x86.pci.VirtioPciFunction> pci) {

    /** The device as a console, when it is one. */
    public Optional<VirtioConsole> console() {
        return device instanceof VirtioConsole c ? Optional.of(c) : Optional.empty();
    }

    /** The device as a network card, when it is one. */
    public Optional<VirtioNet> net() {
        return device instanceof VirtioNet n ? Optional.of(n) : Optional.empty();
    }
}
