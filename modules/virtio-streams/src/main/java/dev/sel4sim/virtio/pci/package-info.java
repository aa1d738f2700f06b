/**
 * The virtio-pci transport's register blocks. Only the legacy (transitional) I/O block for now, which the x86
 * VMM's PCI function puts behind its I/O BAR0; the PCI configuration header itself belongs to the VMM.
 */
package dev.sel4sim.virtio.pci;
