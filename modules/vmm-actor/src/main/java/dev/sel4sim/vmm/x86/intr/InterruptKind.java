package dev.sel4sim.vmm.x86.intr;

/** Where an interrupt comes from; it decides the privilege check and the return address. */
public enum InterruptKind {
    /** From the interrupt controller (PIC, APIC): no gate DPL check. */
    EXTERNAL,
    /** A processor exception (#UD, #GP, #PF ...): no gate DPL check; some push an error code. */
    EXCEPTION,
    /** INT n, INT3, INTO: the gate's DPL must allow the current privilege level. */
    SOFTWARE
}
