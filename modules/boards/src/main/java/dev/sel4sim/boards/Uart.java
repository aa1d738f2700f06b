package dev.sel4sim.boards;

import java.util.Objects;

/**
 * A UART of a board.
 *
 * @param name       a short name, e.g. {@code "uart0"} or {@code "com1"}
 * @param kind       the register interface
 * @param compatible the device tree's compatible string (or a description for x86)
 * @param space      MMIO, or port I/O on x86
 * @param base       the register window's address (physical address or I/O port)
 * @param size       the register window's size in bytes (or ports)
 * @param irq        the interrupt: a GIC INTID on ARM, an IRQ line on x86
 * @param console    true for the UART seL4 prints its console on
 */
public record Uart(String name, UartKind kind, String compatible, AddressSpace space, long base, long size,
                   int irq, boolean console) {

    /** Checks the fields. */
    public Uart {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(compatible, "compatible");
        Objects.requireNonNull(space, "space");
        if (irq < 0) {
            throw new IllegalArgumentException("irq must not be negative");
        }
    }

    /** @return the register window as a region */
    public MemoryRegion region() {
        return new MemoryRegion(base, size);
    }
}
