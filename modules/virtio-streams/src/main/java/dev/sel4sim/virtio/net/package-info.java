/** virtio-net (device ID 1), one queue pair, as a stream of Ethernet frames each way. */
package dev.sel4sim.virtio.net;
