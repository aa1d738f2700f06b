package dev.sel4sim.vmm.x86.vm;

import dev.sel4sim.virtio.blk.DiskImage;
import dev.sel4sim.virtio.mmio.MmioMode;
import dev.sel4sim.vmm.boot.ImageSource;
import dev.sel4sim.virtio.net.MacAddress;

import java.util.Objects;
import java.util.Optional;

/**
 * A virtio device on the x86 machine behind a virtio-mmio window at a fixed guest-physical address
 * (a static configuration, as Deos has it: no discovery, the guest is told where to look).
 *
 * @param name the device's name (unique in its machine)
 * @param kind console or net
 * @param base guest-physical address of its 4 KiB window (page aligned, above RAM, below 4 GiB)
 * @param irq  its level-triggered interrupt line: an IOAPIC input (0-23) when the machine has an
 *             IOAPIC, which for 1-15 is also the 8259 input of that number; an 8259 input (1-15)
 *             otherwise. Lines 0, 2, 4 and 8 belong to the machine's own devices.
 * @param mode legacy (version 1) or modern (version 2) register layout
 * @param mac  a net device's MAC address ("52:54:00:12:34:56"); one derived from the name when empty
 */
public record X86VirtioSpec(String name, Kind kind, long base, int irq, MmioMode mode, Optional<String> mac, Transport transport,
                            Optional<ImageSource> image, DiskImage.Mode diskMode) {
    public enum Kind { CONSOLE, NET, BLOCK }

    /**
     * How the guest reaches the device: a virtio-mmio window at {@code base} (told to the guest), or a legacy
     * virtio-pci function the guest finds by scanning the bus ({@code base} unused; its BAR0 is in I/O space).
     */
    public enum Transport { MMIO, PCI }

    /** A virtio-mmio console or net device. */
    public X86VirtioSpec(String name, Kind kind, long base, int irq, MmioMode mode, Optional<String> mac) {
        this(name, kind, base, irq, mode, mac, Transport.MMIO, Optional.empty(), DiskImage.Mode.COPY_ON_WRITE);
    }

    /** A legacy virtio-pci console or net device on INTx line {@code irq}. */
    public static X86VirtioSpec pci(String name, Kind kind, int irq, Optional<String> mac) {
        return new X86VirtioSpec(name, kind, 0, irq, MmioMode.LEGACY, mac, Transport.PCI, Optional.empty(), DiskImage.Mode.COPY_ON_WRITE);
    }

    /** A virtio-blk disk on either transport. */
    public static X86VirtioSpec block(String name, Transport transport, long base, int irq, MmioMode mode, ImageSource image,
                                      DiskImage.Mode diskMode) {
        return new X86VirtioSpec(name, Kind.BLOCK, base, irq, mode, Optional.empty(), transport, Optional.of(image), diskMode);
    }

    public X86VirtioSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(diskMode, "diskMode");
        if ((kind == Kind.BLOCK) != image.isPresent()) {
            throw new IllegalArgumentException("virtio " + name + ": a disk image goes with a blk device, and a blk device needs one");
        }
        if (mac.isPresent() && kind != Kind.NET) {
            throw new IllegalArgumentException("virtio " + name + ": only a net device has a MAC address");
        }
        mac.ifPresent(m -> {
            try {
                MacAddress.parse(m);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("virtio " + name + ": MAC address \"" + m + "\": " + e.getMessage()
                        + " (write six hex octets, 52:54:00:12:34:56)", e);
            }
        });
    }

    public static X86VirtioSpec net(String name, long base, int irq, MmioMode mode, String mac) {
        return new X86VirtioSpec(name, Kind.NET, base, irq, mode, Optional.of(mac));
    }

    public static X86VirtioSpec console(String name, long base, int irq, MmioMode mode) {
        return new X86VirtioSpec(name, Kind.CONSOLE, base, irq, mode, Optional.empty());
    }

    /** The MAC address the device presents: the configured one, or a stable one made from the name. */
    public String macOrDefault() {
        return mac.orElseGet(() -> {
            int h = name.hashCode();
            return String.format("52:54:00:%02x:%02x:%02x", (h >>> 16) & 0xff, (h >>> 8) & 0xff, h & 0xff);
        });
    }
}
