package dev.sel4sim.vmm.arm.dt;

import java.util.Objects;

import dev.sel4sim.boards.MemoryRegion;

/**
 * One virtio-mmio transport window ({@code virtio,mmio}), 0x200 bytes, with its interrupt.
 *
 * @param base    the window's address (4 KiB aligned, so a stage-2 page can trap it alone)
 * @param intid   its interrupt as a GIC INTID (an SPI, 32..1019)
 * @param trigger active-high level (the line follows InterruptStatus until the guest acknowledges) or rising
 *                edge (QEMU's choice: the device must pulse for every new notification)
 */
public record VirtioMmioSlot(long base, int intid, IrqTrigger trigger) {

    /** The register window of a virtio-mmio device (virtio 1.x, section 4.2.2). */
    public static final long SIZE = 0x200;

    /** Checks alignment, the INTID and the trigger. */
    public VirtioMmioSlot {
        Objects.requireNonNull(trigger, "trigger");
        if (base < 0 || base % 0x1000 != 0) {
            throw new IllegalArgumentException("virtio-mmio base must be 4 KiB aligned, got 0x"
                    + Long.toHexString(base));
        }
        GicInterruptSpecifier.spi(intid, trigger);
    }

    /** @return a slot with an active-high level interrupt */
    public static VirtioMmioSlot of(long base, int intid) {
        return new VirtioMmioSlot(base, intid, IrqTrigger.LEVEL_HIGH);
    }

    /** @return the register window */
    public MemoryRegion region() {
        return new MemoryRegion(base, SIZE);
    }
}
