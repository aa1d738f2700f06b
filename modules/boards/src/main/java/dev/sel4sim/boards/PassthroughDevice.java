package dev.sel4sim.boards;

import java.util.List;
import java.util.Objects;

/**
 * A device a system may give to a virtual machine: its register window and interrupts.
 *
 * @param name       a short name, e.g. {@code "ethernet"}
 * @param compatible the device tree's compatible string (or a description for x86)
 * @param space      MMIO, or port I/O on x86
 * @param region     the register window (physical addresses or I/O ports)
 * @param irqs       its interrupts: GIC INTIDs on ARM, IRQ lines on x86; may be empty
 */
public record PassthroughDevice(String name, String compatible, AddressSpace space, MemoryRegion region,
                                List<Integer> irqs) {

    /** Checks the fields and copies the list. */
    public PassthroughDevice {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(compatible, "compatible");
        Objects.requireNonNull(space, "space");
        Objects.requireNonNull(region, "region");
        irqs = List.copyOf(irqs);
    }
}
