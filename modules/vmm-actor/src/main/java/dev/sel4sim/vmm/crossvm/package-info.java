/**
 * Cross-VM connectors: a dataport of shared 4 KiB frames and an event register page that a guest reaches
 * directly (for instance with busybox {@code devmem}), connecting it to a native component as camkes-vm's
 * cross-VM connections do. The device is architecture-neutral; the VM builder of each architecture maps it
 * and wires its interrupt.
 */
package dev.sel4sim.vmm.crossvm;
