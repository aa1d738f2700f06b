/** The virtio-mmio transport (virtio 1.x section 4.2), version 1 (legacy) and version 2 register layouts. */
package dev.sel4sim.virtio.mmio;
