package dev.sel4sim.system.config;

import java.util.Optional;

/**
 * A virtio device of a VM as the system file gives it ({@code virtio = [ { name = hvc0, type = console } ]}).
 *
 * @param type   {@code console} or {@code net}
 * @param mac    a net device's MAC address, when the file gives one
 * @param legacy the legacy (version 1) virtio-mmio layout instead of the modern one
 */
public record VirtioDeviceSpec(String name, String type, Optional<String> mac, boolean legacy, int line) {
}
