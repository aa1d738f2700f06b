/**
 * What the x86 platform devices share: I/O-port dispatch, interrupt lines and the simulated-time
 * contract. The devices themselves live in sub-packages, one per chip: {@code pic} (8259A pair),
 * {@code pit} (8254), {@code rtc} (MC146818), {@code uart} (16550), {@code apic} (local APIC and
 * IOAPIC), {@code hpet} and {@code pci} (configuration mechanism #1 and the bus behind it).
 *
 * <p>Every device reads time only from a {@code LongSupplier} of simulated nanoseconds, never from the
 * wall clock, and keeps its registers in plain fields so a snapshot can write them out.
 */
package dev.sel4sim.vmm.x86.dev;
