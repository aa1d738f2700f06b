/**
 * What every virtio transport shares whatever its register layout: device status, feature negotiation, the
 * virtqueues, the interrupt status and its level line, and the containment of a driver's mistakes to one device.
 * The register windows ({@code mmio}, {@code pci}) decode the guest's accesses and call into
 * {@link dev.sel4sim.virtio.transport.VirtioTransportCore}.
 */
package dev.sel4sim.virtio.transport;
