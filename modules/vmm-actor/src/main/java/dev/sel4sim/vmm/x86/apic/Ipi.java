package dev.sel4sim.vmm.x86.apic;

/**
 * An interprocessor interrupt a local APIC sends through its ICR that it cannot deliver to itself
 * alone: the VMM routes it to the other VCPUs' local APICs.
 *
 * @param sourceApicId the sender's APIC ID
 * @param shorthand 0 = use {@code destination}, 1 = self, 2 = all including self, 3 = all excluding self
 * @param destination destination field (ICR bits 63:56)
 * @param logical logical rather than physical destination mode
 * @param deliveryMode 0 fixed, 1 lowest priority, 2 SMI, 4 NMI, 5 INIT, 6 start-up
 * @param vector vector (for start-up IPIs the start page)
 * @param assertLevel the level bit (clear only for INIT level de-assert)
 * @param levelTriggered the trigger-mode bit
 */
public record Ipi(int sourceApicId, int shorthand, int destination, boolean logical, int deliveryMode, int vector,
                  boolean assertLevel, boolean levelTriggered) {
    public static final int FIXED = 0;
    public static final int LOWEST_PRIORITY = 1;
    public static final int NMI = 4;
    public static final int INIT = 5;
    public static final int STARTUP = 6;
}
