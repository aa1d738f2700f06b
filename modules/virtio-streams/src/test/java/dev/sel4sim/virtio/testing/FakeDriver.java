package dev.sel4sim.virtio.testing;

import dev.sel4sim.virtio.mmio.VirtioMmioTransport;

/**
 * A guest driver reduced to what tests need: it talks to a virtio-mmio window only through 32-bit register
 * accesses, in the order the spec (3.1.1, and 4.2.4 for legacy) prescribes, and lays out its rings in
 * {@link TestRam}.
 */
public final class FakeDriver {
    public static final int ACKNOWLEDGE = 1;
    public static final int DRIVER = 2;
    public static final int DRIVER_OK = 4;
    public static final int FEATURES_OK = 8;
    public static final int NEEDS_RESET = 0x40;
    public static final int PAGE_SIZE = 4096;

    private final VirtioMmioTransport transport;
    private final TestRam ram;

    public FakeDriver(VirtioMmioTransport transport, TestRam ram) {
        this.transport = transport;
        this.ram = ram;
    }

    public TestRam ram() {
        return ram;
    }

    public int reg(int offset) {
        return (int) transport.read(offset, 4);
    }

    public void reg(int offset, long value) {
        transport.write(offset, 4, value & 0xffff_ffffL);
    }

    public boolean legacy() {
        return reg(0x004) == 1;
    }

    public void reset() {
        reg(0x070, 0);
    }

    /** @return every feature the device offers */
    public long deviceFeatures() {
        reg(0x014, 0);
        long lo = reg(0x010) & 0xffff_ffffL;
        reg(0x014, 1);
        long hi = reg(0x010) & 0xffff_ffffL;
        return hi << 32 | lo;
    }

    /**
     * Resets, acknowledges, and accepts {@code wanted} (intersected with what the device offers).
     *
     * @return whether the device accepted the features (always true for legacy)
     */
    public boolean negotiate(long wanted) {
        reset();
        if (legacy()) {
            reg(0x028, PAGE_SIZE);
        }
        reg(0x070, ACKNOWLEDGE);
        reg(0x070, ACKNOWLEDGE | DRIVER);
        long accept = wanted & deviceFeatures();
        writeDriverFeatures(accept);
        if (legacy()) {
            return true;
        }
        reg(0x070, ACKNOWLEDGE | DRIVER | FEATURES_OK);
        return (reg(0x070) & FEATURES_OK) != 0;
    }

    /** Writes both words of DriverFeatures without any checks. */
    public void writeDriverFeatures(long features) {
        reg(0x024, 0);
        reg(0x020, features);
        reg(0x024, 1);
        reg(0x020, features >>> 32);
    }

    /** Allocates rings for queue {@code index} and gives them to the device. */
    public DriverQueue setupQueue(int index, int size) {
        reg(0x030, index);
        if (reg(0x034) < size) {
            throw new IllegalStateException("queue " + index + " max " + reg(0x034) + " < " + size);
        }
        if (legacy()) {
            DriverQueue q = DriverQueue.legacy(ram, size, PAGE_SIZE, PAGE_SIZE);
            reg(0x038, size);
            reg(0x03c, PAGE_SIZE);
            reg(0x040, q.desc() / PAGE_SIZE);
            return q;
        }
        DriverQueue q = DriverQueue.modern(ram, size);
        reg(0x038, size);
        setQueueAddresses(q.desc(), q.avail(), q.used());
        reg(0x044, 1);
        return q;
    }

    public void setQueueAddresses(long desc, long avail, long used) {
        reg(0x080, desc);
        reg(0x084, desc >>> 32);
        reg(0x090, avail);
        reg(0x094, avail >>> 32);
        reg(0x0a0, used);
        reg(0x0a4, used >>> 32);
    }

    public void driverOk() {
        int features = legacy() ? 0 : FEATURES_OK;
        reg(0x070, ACKNOWLEDGE | DRIVER | features | DRIVER_OK);
    }

    public int status() {
        return reg(0x070);
    }

    public void notify(int queue) {
        reg(0x050, queue);
    }

    public int interruptStatus() {
        return reg(0x060);
    }

    public void ack(int bits) {
        reg(0x064, bits);
    }

    public int configGeneration() {
        return reg(0x0fc);
    }

    public long config(int offset, int size) {
        return transport.read(0x100 + offset, size);
    }
}
