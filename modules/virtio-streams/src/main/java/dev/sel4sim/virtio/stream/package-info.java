/**
 * Where devices meet Pekko Streams: ports that live with the device on the VM's thread, stages that live on
 * Pekko's threads, and the work queue between them. See {@code dev.sel4sim.virtio} for the threading rule.
 */
package dev.sel4sim.virtio.stream;
