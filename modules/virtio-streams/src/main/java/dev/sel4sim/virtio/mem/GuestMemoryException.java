package dev.sel4sim.virtio.mem;

/**
 * A device tried to touch guest-physical memory that is not RAM. Raised by {@link GuestMemory} and caught at
 * the device boundary, where it marks that one device as broken.
 */
public final class GuestMemoryException extends RuntimeException {
    private final long gpa;
    private final long length;

    public GuestMemoryException(long gpa, long length, String ramDescription) {
        super("guest-physical 0x" + Long.toHexString(gpa) + "+0x" + Long.toHexString(length)
                + " is not inside guest RAM (" + ramDescription + ")");
        this.gpa = gpa;
        this.length = length;
    }

    /** @return the first guest-physical address of the refused access */
    public long gpa() {
        return gpa;
    }

    /** @return the length of the refused access in bytes */
    public long length() {
        return length;
    }
}
