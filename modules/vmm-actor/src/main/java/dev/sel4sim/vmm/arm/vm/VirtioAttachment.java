package dev.sel4sim.vmm.arm.vm;

import dev.sel4sim.virtio.console.VirtioConsole;
import dev.sel4sim.virtio.device.VirtioDevice;
import dev.sel4sim.virtio.mmio.VirtioMmioTransport;
import dev.sel4sim.vmm.arm.dt.VirtioMmioSlot;
import java.util.Optional;

/**
 * A virtio device as the VM has it: its spec, the device (whose streams the system connects), its
 * transport and where the guest finds it.
 */
public record VirtioAttachment(VirtioSpec spec, VirtioDevice device, VirtioMmioTransport transport, VirtioMmioSlot slot) {

    /** The device as a console, when it is one. */
    public Optional<VirtioConsole> console() {
        return device instanceof VirtioConsole c ? Optional.of(c) : Optional.empty();
    }

    /** The device as a disk, when it is one. */
    public Optional<dev.sel4sim.virtio.blk.VirtioBlk> blk() {
        return device instanceof dev.sel4sim.virtio.blk.VirtioBlk b ? Optional.of(b) : Optional.empty();
    }

    /** The device as a network card, when it is one. */
    public Optional<dev.sel4sim.virtio.net.VirtioNet> net() {
        return device instanceof dev.sel4sim.virtio.net.VirtioNet n ? Optional.of(n) : Optional.empty();
    }
}
