package dev.sel4sim.vmm.x86.vm;

/**
 * Which timers a machine has, as camkes-vm's per-VM {@code use_pit}, {@code use_hpet} and
 * {@code use_lapic} choose them. The RTC is always there (a PC without one is not a PC).
 *
 * @param pit   the 8254 at ports 0x40-0x43 (and port B) on ISA IRQ 0
 * @param hpet  the HPET block at 0xFED00000
 * @param lapic the local APIC's timer; needs the local APIC
 */
public record X86Timers(boolean pit, boolean hpet, boolean lapic) {
    /** What a plain PC has: the PIT. */
    public static final X86Timers PIT_ONLY = new X86Timers(true, false, false);
    /** The Deos configuration: the local APIC timer and nothing else. */
    public static final X86Timers LAPIC_ONLY = new X86Timers(false, false, true);
}
