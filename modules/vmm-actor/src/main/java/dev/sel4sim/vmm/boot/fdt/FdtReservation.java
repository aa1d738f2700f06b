package dev.sel4sim.vmm.boot.fdt;

/**
 * An entry of the memory reservation block: physical memory the client program must not use.
 *
 * @param address first byte (an unsigned 64-bit value)
 * @param size    length in bytes (unsigned); a blob cannot hold a (0, 0) entry, that pair ends the block
 */
public record FdtReservation(long address, long size) {

    /** Rejects the (0, 0) pair, which would end the block early. */
    public FdtReservation {
        if (address == 0 && size == 0) {
            throw new IllegalArgumentException("a reservation of address 0 and size 0 is the block's terminator");
        }
    }
}
