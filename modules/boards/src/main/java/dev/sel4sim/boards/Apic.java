package dev.sel4sim.boards;

import java.util.Objects;

/**
 * The x86 interrupt controllers of a PC: an IOAPIC for device interrupts, the local APIC per core and the
 * legacy 8259 PIC pair.
 *
 * @param ioapic      the IOAPIC's register window
 * @param lapic       the local APIC's register page
 * @param ioapicLines the IOAPIC's input pins (seL4: {@code IOAPIC_IRQ_LINES})
 * @param picLines    the 8259 pair's lines (seL4: {@code PIC_IRQ_LINES})
 */
public record Apic(MemoryRegion ioapic, MemoryRegion lapic, int ioapicLines, int picLines)
        implements InterruptController {

    /** Checks the fields. */
    public Apic {
        Objects.requireNonNull(ioapic, "ioapic");
        Objects.requireNonNull(lapic, "lapic");
        if (ioapicLines < 1 || picLines < 1) {
            throw new IllegalArgumentException("line counts must be positive");
        }
    }
}
