package dev.sel4sim.boards;

import java.util.Objects;

/**
 * The timers of a PC.
 *
 * @param pitIoPort the 8254 PIT's first I/O port (channel 0)
 * @param pitIrq    the PIT's IRQ line
 * @param hpet      the HPET's register block
 * @param lapicBase the local APIC (which holds the LAPIC timer) base address
 */
public record X86Timers(int pitIoPort, int pitIrq, MemoryRegion hpet, long lapicBase) implements Timer {

    /** Checks the fields. */
    public X86Timers {
        Objects.requireNonNull(hpet, "hpet");
        if (pitIoPort < 0 || pitIoPort > 0xffff) {
            throw new IllegalArgumentException("pit io-port must be a 16-bit port");
        }
        if (pitIrq < 0) {
            throw new IllegalArgumentException("pit irq must not be negative");
        }
    }
}
