/** Guest RAM as devices see it: bounds-checked, little-endian, zero-copy access by guest-physical address. */
package dev.sel4sim.virtio.mem;
