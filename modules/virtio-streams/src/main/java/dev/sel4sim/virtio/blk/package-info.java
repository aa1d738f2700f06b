/**
 * virtio-blk (device ID 2), one request queue, served on the VM's thread at each notification, over a
 * {@link dev.sel4sim.virtio.blk.BlockBackend} such as a copy-on-write {@link dev.sel4sim.virtio.blk.DiskImage}.
 */
package dev.sel4sim.virtio.blk;
