/**
 * Split virtqueues (virtio 1.x section 2.7): chain validation, available and used rings, notification
 * suppression. Single-threaded by design: see {@code dev.sel4sim.virtio}.
 */
package dev.sel4sim.virtio.queue;
