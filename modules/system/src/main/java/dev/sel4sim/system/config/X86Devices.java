package dev.sel4sim.system.config;

/**
 * An x86 VM's timers and interrupt controllers as its system file chooses them (camkes-vm's
 * {@code use_pit}, {@code use_hpet}, {@code use_lapic}): {@code timers = [pit, hpet, lapic]},
 * {@code lapic = true}, {@code ioapic = true}. Without them a VM has the PIT and the 8259 pair only. And the
 * board devices given to it ({@code ioports}, {@code irqs}).
 */
public record X86Devices(boolean pit, boolean hpet, boolean lapicTimer, boolean lapic, boolean ioapic,
                         java.util.List<PassthroughSpec> passthrough) {
    /** The PIT on the 8259 pair, no APICs: what Linux booted with {@code noapic nolapic} uses. */
    public static final X86Devices DEFAULT = new X86Devices(true, false, false, false, false, java.util.List.of());

    public X86Devices {
        passthrough = java.util.List.copyOf(passthrough);
    }

    /** For messages: "PIT, HPET; LAPIC, IOAPIC". */
    public String describe() {
        StringBuilder s = new StringBuilder();
        if (pit) {
            s.append("8254 PIT");
        }
        if (hpet) {
            s.append(s.isEmpty() ? "" : ", ").append("HPET");
        }
        if (lapicTimer) {
            s.append(s.isEmpty() ? "" : ", ").append("LAPIC timer");
        }
        if (s.isEmpty()) {
            s.append("no timer");
        }
        s.append(lapic ? ioapic ? "; local APIC and IOAPIC" : "; local APIC" : "; 8259 PIC pair");
        return s.toString();
    }
}
