/** The contract between a transport and a virtio device type, and the generic feature and status bits. */
package dev.sel4sim.virtio.device;
