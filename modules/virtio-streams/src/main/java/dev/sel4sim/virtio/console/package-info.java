/** virtio-console (device ID 3), one port, as a stream of bytes each way. */
package dev.sel4sim.virtio.console;
