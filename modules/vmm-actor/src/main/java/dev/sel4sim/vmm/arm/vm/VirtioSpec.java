package dev.sel4sim.vmm.arm.vm;

import dev.sel4sim.virtio.blk.DiskImage;
import dev.sel4sim.virtio.mmio.MmioMode;
import dev.sel4sim.vmm.boot.ImageSource;
import java.util.Objects;
import java.util.Optional;

/**
 * A virtio device the VM is given on a virtio-mmio transport: what it is, not what it connects to
 * (the system wires its stream).
 *
 * @param name     the device's name in the system file (unique in its VM); a block device's serial (GET_ID)
 * @param kind     console, net or block
 * @param mac      a net device's MAC address ("52:54:00:12:34:56"); a fixed one from the name when empty
 * @param mode     the transport's register layout: modern (version 2) unless the guest needs legacy
 * @param image    a block device's disk image (present exactly for {@link Kind#BLOCK})
 * @param diskMode what the guest's writes to a block device do: copy-on-write in memory (the image is never
 *                 modified), write-through to the image file, or refused (read-only)
 */
public record VirtioSpec(String name, Kind kind, Optional<String> mac, MmioMode mode, Optional<ImageSource> image,
                         DiskImage.Mode diskMode) {
    public enum Kind { CONSOLE, NET, BLOCK }

    public VirtioSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(diskMode, "diskMode");
        if (image.isPresent() != (kind == Kind.BLOCK)) {
            throw new IllegalArgumentException("virtio " + name + ": " + (kind == Kind.BLOCK
                    ? "a block device needs a disk image" : "only a block device has a disk image"));
        }
    }

    /** A console or net device (no disk image). */
    public VirtioSpec(String name, Kind kind, Optional<String> mac, MmioMode mode) {
        this(name, kind, mac, mode, Optional.empty(), DiskImage.Mode.COPY_ON_WRITE);
    }

    public static VirtioSpec console(String name) {
        return new VirtioSpec(name, Kind.CONSOLE, Optional.empty(), MmioMode.MODERN);
    }

    public static VirtioSpec net(String name, String mac) {
        return new VirtioSpec(name, Kind.NET, Optional.of(mac), MmioMode.MODERN);
    }

    /** A block device on a modern transport over {@code image}, whose writes {@code diskMode} decides. */
    public static VirtioSpec block(String name, ImageSource image, DiskImage.Mode diskMode) {
        return new VirtioSpec(name, Kind.BLOCK, Optional.empty(), MmioMode.MODERN, Optional.of(image), diskMode);
    }
}
