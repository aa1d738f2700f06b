package dev.sel4sim.boards;

/**
 * A board's interrupt controller: an ARM {@link Gic} (v2 or v3) or the x86 {@link Apic} pair (IOAPIC and
 * local APIC).
 */
public sealed interface InterruptController permits Gic, Apic {
}
