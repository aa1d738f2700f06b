package dev.sel4sim.virtio.queue;

/**
 * One buffer of a descriptor chain, already checked to lie inside guest RAM.
 *
 * @param gpa    guest-physical address
 * @param length length in bytes
 */
public record GuestBuffer(long gpa, int length) {
}
