package dev.sel4sim.vmm.x86.boot;

/**
 * One range of the BIOS memory map Linux reads from the zero page.
 *
 * @param address first byte
 * @param size    length in bytes
 * @param type    {@link #RAM} or {@link #RESERVED}
 */
public record E820Entry(long address, long size, int type) {
    public static final int RAM = 1;
    public static final int RESERVED = 2;

    public E820Entry {
        if (size <= 0 || address < 0) {
            throw new IllegalArgumentException("e820 range at 0x" + Long.toHexString(address) + " of " + size + " bytes");
        }
    }

    public long end() {
        return address + size;
    }
}
