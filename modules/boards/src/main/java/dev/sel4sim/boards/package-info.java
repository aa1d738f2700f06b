/**
 * Board descriptions as data.
 *
 * <p>A board is the physical machine that the simulated seL4 kernel runs on: its cores, its RAM banks,
 * its interrupt controller, UARTs, timers, physical-address width (and so the shape of the stage-2
 * translation a VMM builds), its default SMC policy and the devices a system may pass through to a
 * virtual machine. Every board is one HOCON resource {@code boards/<id>.conf}, listed in
 * {@code boards/index.conf}, and is parsed once into immutable records.
 *
 * <p>Entry point: {@link dev.sel4sim.boards.Boards#load(String)}.
 *
 * <h2>Conventions</h2>
 * <ul>
 *   <li>ARM interrupt numbers are GIC interrupt IDs (INTIDs): a PPI n is INTID {@code 16 + n}, an SPI n is
 *       INTID {@code 32 + n}; so a device tree's {@code <GIC_SPI 1 ...>} is INTID 33 and the virtual timer
 *       PPI 11 is INTID 27.</li>
 *   <li>x86 interrupt numbers are IRQ lines (ISA/IOAPIC pins), e.g. COM1 is IRQ 4.</li>
 *   <li>Addresses and sizes are in bytes; {@link dev.sel4sim.boards.Sizes} accepts {@code "0x..."} hex,
 *       decimal, and binary suffixes ({@code "4K"}, {@code "256M"}, {@code "1G"}).</li>
 * </ul>
 */
package dev.sel4sim.boards;
