package dev.sel4sim.vmm.x86.hpet;

/** Where the HPET's timer interrupts go. */
public interface HpetLines {
    /** A timer routed through its Tn_INT_ROUTE_CNF field to an IOAPIC input. */
    void ioapic(int pin, boolean high);

    /**
     * A timer under legacy replacement: timer 0 takes ISA IRQ 0 and timer 1 ISA IRQ 8 (the VMM sends
     * them to the 8259 and to the IOAPIC inputs its interrupt source overrides name).
     */
    void legacy(int isaIrq, boolean high);
}
