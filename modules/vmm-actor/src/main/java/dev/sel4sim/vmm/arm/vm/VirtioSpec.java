package dev.sel4sim.vmm.arm.vm;

import dev.sel4sim.virtio.mmio.MmioMode;
import java.util.Objects;
import java.util.Optional;

/**
 * A virtio device the VM is given on a virtio-mmio transport: what it is, not what it connects to
 * (the system wires its stream).
 *
 * @param name the device's name in the system file (unique in its VM)
 * @param kind console or net
 * @param mac  a net device's MAC address ("52:54:00:12:34:56"); a fixed one from the name when empty
 * @param mode the transport's register layout: modern (version 2) unless the guest needs legacy
 */
public record VirtioSpec(String name, Kind kind, Optional<String> mac, MmioMode mode) {
    public enum Kind { CONSOLE, NET }

    public VirtioSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(mode, "mode");
    }

    public static VirtioSpec console(String name) {
        return new VirtioSpec(name, Kind.CONSOLE, Optional.empty(), MmioMode.MODERN);
    }

    public static VirtioSpec net(String name, String mac) {
        return new VirtioSpec(name, Kind.NET, Optional.of(mac), MmioMode.MODERN);
    }
}
