package dev.sel4sim.system.config;

/**
 * A board device an x86 VM's system file gives it (camkes-vm's {@code ioports} and {@code irqs}):
 * {@code ioports = [ { name = com2, start = 0x2f8, end = 0x2ff } ]},
 * {@code irqs = [ { name = com2, source = 3, dest = 3 } ]}.
 *
 * @param device    the board device's name
 * @param uart      true for one of the board's UARTs, false for its CMOS clock
 * @param firstPort first port given
 * @param portCount ports given
 * @param destIrq   the VM's line for the device's interrupt, or -1 when the irqs list does not route it
 * @param line      the ioports entry's line in the file
 */
public record PassthroughSpec(String device, boolean uart, int firstPort, int portCount, int destIrq, int line) {
}
