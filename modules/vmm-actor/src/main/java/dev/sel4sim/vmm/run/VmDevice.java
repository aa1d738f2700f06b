package dev.sel4sim.vmm.run;

import dev.sel4sim.virtio.blk.VirtioBlk;
import dev.sel4sim.virtio.console.VirtioConsole;
import dev.sel4sim.virtio.device.VirtioDevice;
import dev.sel4sim.virtio.net.VirtioNet;

import java.util.Objects;
import java.util.Optional;

/**
 * A virtio device of a VM by its name in the system file, whatever transport the guest sees it on:
 * what the system needs to cable its streams.
 */
public record VmDevice(String name, VirtioDevice device) {
    public VmDevice {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(device, "device");
    }

    /** The device as a console, when it is one. */
    public Optional<VirtioConsole> console() {
        return device instanceof VirtioConsole c ? Optional.of(c) : Optional.empty();
    }

    /** The device as a network card, when it is one. */
    public Optional<VirtioNet> net() {
        return device instanceof VirtioNet n ? Optional.of(n) : Optional.empty();
    }

    /** The device as a disk, when it is one. */
    public Optional<VirtioBlk> blk() {
        return device instanceof VirtioBlk b ? Optional.of(b) : Optional.empty();
    }
}
