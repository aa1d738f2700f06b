package dev.sel4sim.system.config;

import java.util.Optional;

/**
 * A virtio device of a VM as the system file gives it ({@code virtio = [ { name = hvc0, type = console } ]}).
 *
 * @param type         {@code console}, {@code net} or {@code blk}
 * @param mac          a net device's MAC address, when the file gives one
 * @param legacy       the legacy (version 1) virtio-mmio layout instead of the modern one
 * @param image        a blk device's disk image reference ({@code guest:...}, a file server's {@code SERVER:NAME},
 *                     or a path relative to the system file); present exactly for blk
 * @param readOnly     a blk device refuses writes (the guest sees a read-only disk)
 * @param writeThrough a blk device writes to the image file itself; otherwise its writes are copy-on-write in
 *                     memory and the image is never modified
 */
/*
 * On x86: transport is pci (default) or mmio; an mmio device has its window's address and its interrupt line,
 * a pci device may name its line (else the VMM picks one).
 */
public record VirtioDeviceSpec(String name, String type, Optional<String> mac, boolean legacy, Optional<String> image,
                               boolean readOnly, boolean writeThrough, String transport, Optional<Long> address,
                               Optional<Integer> irq, int line) {

    /** A console or net device. */
    public VirtioDeviceSpec(String name, String type, Optional<String> mac, boolean legacy, int line) {
        this(name, type, mac, legacy, Optional.empty(), false, false, "mmio", Optional.empty(), Optional.empty(), line);
    }

    /** A device of an ARM VM (virtio-mmio, placed by the VMM). */
    public VirtioDeviceSpec(String name, String type, Optional<String> mac, boolean legacy, Optional<String> image,
                            boolean readOnly, boolean writeThrough, int line) {
        this(name, type, mac, legacy, image, readOnly, writeThrough, "mmio", Optional.empty(), Optional.empty(), line);
    }
}
