package dev.sel4sim.vmm.x86.vm;

import dev.sel4sim.vmm.x86.apic.IoApic;
import dev.sel4sim.vmm.x86.apic.IoApicMessage;
import dev.sel4sim.vmm.x86.apic.Ipi;
import dev.sel4sim.vmm.x86.apic.LocalApic;
import dev.sel4sim.vmm.x86.pic.Pic8259Pair;

import java.util.function.Consumer;

/**
 * The machine's interrupt wiring and the answer to "which vector does the processor take next".
 *
 * <p>Without a local APIC the 8259 pair's output is the processor's INTR line. With one, interrupts
 * go through it: the 8259 reaches the processor only through LINT0 in ExtINT mode (as the firmware
 * leaves it, until the guest changes it), and with an IOAPIC every ISA line also feeds the IOAPIC
 * input of its number, except IRQ 0 (the timer), which feeds input 2 as the usual interrupt source
 * override says; IOAPIC messages go to the local APIC. A pending local APIC vector is taken before
 * the 8259's.
 */
final class InterruptRouter {
    /** The IOAPIC input of ISA IRQ 0 (input 0 is the 8259's ExtINT on a PC). */
    static final int TIMER_PIN = 2;

    private final Pic8259Pair pic;
    private final LocalApic lapic;
    private final IoApic ioapic;
    private final Consumer<String> notes;
    /** What could not be delivered, counted so a flood does not flood the log. */
    private long undeliverable;

    /**
     * @param pic    the 8259 pair
     * @param lapic  the local APIC, or null for none
     * @param ioapic whether an IOAPIC is made (needs the local APIC)
     * @param notes  one line per unusual event (an IOAPIC message the machine cannot deliver)
     */
    InterruptRouter(Pic8259Pair pic, LocalApic lapic, boolean ioapic, Consumer<String> notes) {
        if (ioapic && lapic == null) {
            throw new IllegalArgumentException("an IOAPIC needs a local APIC");
        }
        this.pic = pic;
        this.lapic = lapic;
        this.notes = notes;
        this.ioapic = ioapic ? new IoApic(0, this::deliver) : null;
    }

    /** The IOAPIC, or null when the machine has none. */
    IoApic ioApic() {
        return ioapic;
    }

    /** An ISA device's line (0-15): to the 8259 and, with an IOAPIC, to its input (IRQ 0 to input 2). */
    void setIsaIrq(int irq, boolean level) {
        pic.setIrq(irq, level);
        if (ioapic != null) {
            ioapic.setIrq(irq == 0 ? TIMER_PIN : irq, level);
        }
    }

    /**
     * A line numbered as a global system interrupt: the IOAPIC input of that number when there is an
     * IOAPIC, and the 8259 input of that number too when it is one (1-15).
     */
    void setGsi(int gsi, boolean level) {
        if (gsi >= 1 && gsi <= 15) {
            pic.setIrq(gsi, level);
        }
        if (ioapic != null) {
            ioapic.setIrq(gsi, level);
        }
    }

    /** An IOAPIC-only line (the HPET's routed timers); without an IOAPIC it goes nowhere, and is reported. */
    void setIoApicPin(int pin, boolean level) {
        if (ioapic != null) {
            ioapic.setIrq(pin, level);
        } else if (level) {
            note("a line to IOAPIC input " + pin + " was raised, but the machine has no IOAPIC; dropped");
        }
    }

    /** The end of interrupt for a level-triggered vector, from the local APIC. */
    void endOfInterrupt(int vector) {
        if (ioapic != null) {
            ioapic.endOfInterrupt(vector);
        }
    }

    /** True when an external interrupt waits for the processor (taken when EFLAGS.IF allows). */
    boolean pending() {
        return lapic != null && lapic.pendingVector() >= 0 || picReachesProcessor() && pic.interruptPending();
    }

    /** The processor's interrupt acknowledge: the vector to deliver (a spurious one if the request went away). */
    int acknowledge() {
        if (lapic != null && (lapic.pendingVector() >= 0 || !picReachesProcessor())) {
            return lapic.acknowledge();
        }
        return pic.acknowledge();
    }

    private boolean picReachesProcessor() {
        return lapic == null || lapic.acceptsExtInt();
    }

    /** An IPI of this uniprocessor machine that is not for its own APIC: there is nobody to take it. */
    void ipi(Ipi ipi) {
        if (ipi.shorthand() != 1) {
            note("IPI " + ipi + " has no other processor to go to; dropped");
        }
    }

    private void deliver(IoApicMessage m) {
        switch (m.deliveryMode()) {
            case Ipi.FIXED, Ipi.LOWEST_PRIORITY -> {
                if (lapic.matchesDestination(m.destination(), m.logical())) {
                    lapic.accept(m.vector(), m.levelTriggered());
                } else {
                    note("IOAPIC input " + m.pin() + " is routed to APIC " + (m.logical() ? "set 0x" : "ID 0x")
                            + Integer.toHexString(m.destination()) + ", which is not this processor's; dropped");
                }
            }
            default -> note("IOAPIC input " + m.pin() + " uses delivery mode " + m.deliveryMode()
                    + ", which the machine does not deliver (fixed and lowest priority only); dropped");
        }
    }

    private void note(String line) {
        // The first few tell what is wrong; the rest would only repeat it at the interrupt rate.
        if (++undeliverable <= 8) {
            notes.accept(line);
        }
    }
}
