package dev.sel4sim.vmm.x86.apic;

/**
 * An interrupt message the IOAPIC sends for one of its pins; the VMM hands it to every local APIC
 * whose {@link LocalApic#matchesDestination} accepts it (one of them for lowest priority).
 *
 * @param pin the input pin (global system interrupt on the only IOAPIC)
 * @param vector the vector
 * @param deliveryMode 0 fixed, 1 lowest priority, 2 SMI, 4 NMI, 5 INIT, 7 ExtINT
 * @param logical logical rather than physical destination mode
 * @param destination destination APIC ID or logical set
 * @param levelTriggered the local APIC must report the EOI back (see {@link IoApic#endOfInterrupt})
 */
public record IoApicMessage(int pin, int vector, int deliveryMode, boolean logical, int destination,
                            boolean levelTriggered) {
}
