package dev.sel4sim.virtio.testing;

import dev.sel4sim.virtio.pci.VirtioPciLegacyTransport;

/**
 * A legacy virtio-pci guest driver reduced to what tests need: it talks to the I/O register block only with the
 * access widths a legacy driver uses (32-bit features and PFN, 16-bit queue size, select and notify, 8-bit
 * status and ISR), in the order of virtio 1.x section 3.1.2 (legacy initialization), and lays out each queue's
 * rings contiguously from a 4096-byte page with the used ring 4096-aligned.
 */
public final class LegacyPciDriver {
    public static final int ACKNOWLEDGE = 1;
    public static final int DRIVER = 2;
    public static final int DRIVER_OK = 4;
    public static final int NEEDS_RESET = 0x40;
    public static final int PAGE = 4096;

    private final VirtioPciLegacyTransport transport;
    private final TestRam ram;

    public LegacyPciDriver(VirtioPciLegacyTransport transport, TestRam ram) {
        this.transport = transport;
        this.ram = ram;
    }

    public int read32(int offset) {
        return transport.read(offset, 4);
    }

    public int read16(int offset) {
        return transport.read(offset, 2);
    }

    public int read8(int offset) {
        return transport.read(offset, 1);
    }

    public void write32(int offset, int value) {
        transport.write(offset, 4, value);
    }

    public void write16(int offset, int value) {
        transport.write(offset, 2, value & 0xffff);
    }

    public void write8(int offset, int value) {
        transport.write(offset, 1, value & 0xff);
    }

    public void reset() {
        write8(VirtioPciLegacyTransport.DEVICE_STATUS, 0);
    }

    public int status() {
        return read8(VirtioPciLegacyTransport.DEVICE_STATUS);
    }

    public long hostFeatures() {
        return Integer.toUnsignedLong(read32(VirtioPciLegacyTransport.HOST_FEATURES));
    }

    /** Resets, acknowledges, and accepts {@code wanted} intersected with what the device offers. */
    public long negotiate(long wanted) {
        reset();
        write8(VirtioPciLegacyTransport.DEVICE_STATUS, ACKNOWLEDGE);
        write8(VirtioPciLegacyTransport.DEVICE_STATUS, ACKNOWLEDGE | DRIVER);
        long accept = wanted & hostFeatures();
        write32(VirtioPciLegacyTransport.GUEST_FEATURES, (int) accept);
        return accept;
    }

    /** @return the size the device gives queue {@code index} (0: no such queue) */
    public int queueSize(int index) {
        write16(VirtioPciLegacyTransport.QUEUE_SELECT, index);
        return read16(VirtioPciLegacyTransport.QUEUE_SIZE);
    }

    /** Allocates rings of the device's size for queue {@code index} and gives the device their page number. */
    public DriverQueue setupQueue(int index) {
        int size = queueSize(index);
        if (size == 0) {
            throw new IllegalStateException("queue " + index + " does not exist");
        }
        if (read32(VirtioPciLegacyTransport.QUEUE_PFN) != 0) {
            throw new IllegalStateException("queue " + index + " is already active");
        }
        DriverQueue q = DriverQueue.legacy(ram, size, PAGE, PAGE);
        write32(VirtioPciLegacyTransport.QUEUE_PFN, (int) (q.desc() / PAGE));
        return q;
    }

    /** Gives queue {@code index} a raw page number. */
    public void setQueuePfn(int index, long pfn) {
        write16(VirtioPciLegacyTransport.QUEUE_SELECT, index);
        write32(VirtioPciLegacyTransport.QUEUE_PFN, (int) pfn);
    }

    public void driverOk() {
        write8(VirtioPciLegacyTransport.DEVICE_STATUS, ACKNOWLEDGE | DRIVER | DRIVER_OK);
    }

    public void notify(int queue) {
        write16(VirtioPciLegacyTransport.QUEUE_NOTIFY, queue);
    }

    /** Reads (and so clears) the ISR status, as the driver's interrupt handler does. */
    public int isr() {
        return read8(VirtioPciLegacyTransport.ISR_STATUS);
    }

    public int config(int offset, int size) {
        return transport.read(VirtioPciLegacyTransport.CONFIG + offset, size);
    }
}
