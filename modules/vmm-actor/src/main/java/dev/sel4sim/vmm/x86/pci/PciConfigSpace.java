package dev.sel4sim.vmm.x86.pci;

/**
 * A type 0 configuration header with the usual register semantics, for emulated devices to hold:
 * identification (read-only), command (the defined enable bits writable), status (error bits cleared
 * by writing 1, capability-list bit set when there are capabilities), BARs that report their size
 * when all ones are written, interrupt line and pin, and a capability list built with
 * {@link #addCapability}. Each byte has a write mask and a write-1-to-clear mask, so any write at
 * any size does what the hardware would.
 */
public final class PciConfigSpace implements PciFunction {
    public static final int VENDOR_ID = 0x00;
    public static final int DEVICE_ID = 0x02;
    public static final int COMMAND = 0x04;
    public static final int STATUS = 0x06;
    public static final int REVISION = 0x08;
    public static final int CLASS_CODE = 0x09;
    public static final int HEADER_TYPE = 0x0e;
    public static final int BAR0 = 0x10;
    public static final int SUBSYSTEM_VENDOR_ID = 0x2c;
    public static final int SUBSYSTEM_ID = 0x2e;
    public static final int CAPABILITIES_POINTER = 0x34;
    public static final int INTERRUPT_LINE = 0x3c;
    public static final int INTERRUPT_PIN = 0x3d;
    public static final int COMMAND_IO = 1;
    public static final int COMMAND_MEMORY = 1 << 1;
    public static final int COMMAND_BUS_MASTER = 1 << 2;
    public static final int COMMAND_INTX_DISABLE = 1 << 10;
    private static final int STATUS_INTERRUPT = 1 << 3;
    private static final int STATUS_CAPABILITIES = 1 << 4;
    private static final int FIRST_CAPABILITY = 0x40;

    private final byte[] bytes = new byte[256];
    private final byte[] writable = new byte[256];
    private final byte[] writeOneToClear = new byte[256];
    private final BarKind[] barKinds = new BarKind[6];
    private int nextCapability = FIRST_CAPABILITY;
    private int lastCapability;

    /**
     * @param vendorId vendor ID
     * @param deviceId device ID
     * @param classCode base class, sub-class and programming interface (24 bits)
     * @param revision revision ID
     */
    public PciConfigSpace(int vendorId, int deviceId, int classCode, int revision) {
        put(VENDOR_ID, 2, vendorId);
        put(DEVICE_ID, 2, deviceId);
        put(REVISION, 1, revision);
        put(CLASS_CODE, 3, classCode);
        mask(COMMAND, 2, COMMAND_IO | COMMAND_MEMORY | COMMAND_BUS_MASTER | (1 << 6) | (1 << 8) | COMMAND_INTX_DISABLE);
        for (int i = 0; i < 2; i++) {
            writeOneToClear[STATUS + i] = (byte) (0xf900 >> (8 * i));
        }
        mask(0x0c, 1, 0xff); // cache line size
        mask(0x0d, 1, 0xff); // latency timer
        mask(INTERRUPT_LINE, 1, 0xff);
    }

    /** Sets the subsystem vendor and subsystem IDs (read-only to the guest). */
    public PciConfigSpace subsystem(int vendorId, int id) {
        put(SUBSYSTEM_VENDOR_ID, 2, vendorId);
        put(SUBSYSTEM_ID, 2, id);
        return this;
    }

    /** Sets the header-type byte (bit 7: multi-function). */
    public PciConfigSpace headerType(int value) {
        put(HEADER_TYPE, 1, value);
        return this;
    }

    /** Sets the interrupt pin (1 = INTA# ... 4 = INTD#, 0 = none). */
    public PciConfigSpace interruptPin(int pin) {
        put(INTERRUPT_PIN, 1, pin);
        return this;
    }

    /**
     * Declares BAR {@code index} (0-5; a 64-bit BAR also takes {@code index + 1}).
     *
     * @param size bytes decoded: a power of two, at least 16 for memory and 4 for I/O
     * @throws IllegalArgumentException for an impossible BAR (a configuration error, not guest input)
     */
    public PciConfigSpace bar(int index, BarKind kind, long size, boolean prefetchable) {
        int slots = kind == BarKind.MEMORY64 ? 2 : 1;
        if (index < 0 || index + slots > 6) {
            throw new IllegalArgumentException("BAR " + index + " does not fit in a type 0 header");
        }
        if (Long.bitCount(size) != 1 || size < (kind == BarKind.IO ? 4 : 16)
                || size > (kind == BarKind.MEMORY64 ? 1L << 62 : kind == BarKind.IO ? 1L << 16 : 1L << 31)) {
            throw new IllegalArgumentException("BAR " + index + " size " + size + " is not a valid power of two");
        }
        for (int i = index; i < index + slots; i++) {
            if (barKinds[i] != null || i > 0 && barKinds[i - 1] == BarKind.MEMORY64 && i - 1 != index) {
                throw new IllegalArgumentException("BAR " + i + " is already declared");
            }
        }
        int offset = BAR0 + 4 * index;
        long addressMask = ~(size - 1);
        int low = switch (kind) {
            case IO -> 0x1;
            case MEMORY32 -> prefetchable ? 0x8 : 0x0;
            case MEMORY64 -> 0x4 | (prefetchable ? 0x8 : 0x0);
        };
        put(offset, 4, low);
        mask(offset, 4, (int) addressMask & (kind == BarKind.IO ? ~0x3 : ~0xf));
        if (kind == BarKind.MEMORY64) {
            mask(offset + 4, 4, (int) (addressMask >>> 32));
        }
        barKinds[index] = kind;
        return this;
    }

    /**
     * Appends a capability to the list and returns its offset. {@code body} is everything after the ID
     * and next-pointer bytes; it is read-only unless {@code writableMask} (same length, or null)
     * opens bits.
     *
     * @throws IllegalArgumentException when the capability does not fit below offset 256
     */
    public int addCapability(int id, byte[] body, byte[] writableMask) {
        int offset = nextCapability;
        int length = 2 + body.length;
        if (offset + length > 256) {
            throw new IllegalArgumentException("capability " + id + " does not fit in configuration space");
        }
        bytes[offset] = (byte) id;
        System.arraycopy(body, 0, bytes, offset + 2, body.length);
        if (writableMask != null) {
            System.arraycopy(writableMask, 0, writable, offset + 2, Math.min(body.length, writableMask.length));
        }
        if (lastCapability == 0) {
            put(CAPABILITIES_POINTER, 1, offset);
            put(STATUS, 2, get(STATUS, 2) | STATUS_CAPABILITIES);
        } else {
            bytes[lastCapability + 1] = (byte) offset;
        }
        lastCapability = offset;
        nextCapability = (offset + length + 3) & ~3;
        return offset;
    }

    /** The address BAR {@code index} holds (the base of its window), without the flag bits. */
    public long barAddress(int index) {
        BarKind kind = barKinds[index];
        if (kind == null) {
            return 0;
        }
        long low = get(BAR0 + 4 * index, 4) & 0xffff_ffffL;
        return switch (kind) {
            case IO -> low & ~0x3L;
            case MEMORY32 -> low & ~0xfL;
            case MEMORY64 -> (low & ~0xfL) | ((get(BAR0 + 4 * index + 4, 4) & 0xffff_ffffL) << 32);
        };
    }

    public boolean ioEnabled() {
        return (get(COMMAND, 2) & COMMAND_IO) != 0;
    }

    public boolean memoryEnabled() {
        return (get(COMMAND, 2) & COMMAND_MEMORY) != 0;
    }

    public boolean busMasterEnabled() {
        return (get(COMMAND, 2) & COMMAND_BUS_MASTER) != 0;
    }

    /**
     * Sets or clears the Interrupt Status bit (status bit 3): the state of the function's INTx request,
     * whatever INTx Disable says. Read-only to the guest.
     */
    public void setInterruptStatus(boolean pending) {
        int status = get(STATUS, 2);
        put(STATUS, 2, pending ? status | STATUS_INTERRUPT : status & ~STATUS_INTERRUPT);
    }

    /** @return whether the guest set INTx Disable in the command register */
    public boolean intxDisabled() {
        return (get(COMMAND, 2) & COMMAND_INTX_DISABLE) != 0;
    }

    /** Sets status bits from the device side (interrupt status, errors); the guest clears them. */
    public void setStatusBits(int bits) {
        put(STATUS, 2, get(STATUS, 2) | bits);
    }

    @Override
    public int configRead(int offset, int size) {
        if (offset < 0 || size <= 0 || offset + size > 256) {
            return size >= 4 ? -1 : (1 << (8 * Math.max(size, 0))) - 1;
        }
        return get(offset, size);
    }

    @Override
    public void configWrite(int offset, int size, int value) {
        if (offset < 0 || size <= 0 || offset + size > 256) {
            return;
        }
        for (int i = 0; i < size; i++) {
            int b = (value >>> (8 * i)) & 0xff;
            int at = offset + i;
            int w = writable[at] & 0xff;
            int old = bytes[at] & 0xff;
            int next = (old & ~w) | (b & w);
            next &= ~(b & writeOneToClear[at] & 0xff);
            bytes[at] = (byte) next;
        }
    }

    private int get(int offset, int size) {
        int v = 0;
        for (int i = 0; i < size; i++) {
            v |= (bytes[offset + i] & 0xff) << (8 * i);
        }
        return v;
    }

    private void put(int offset, int size, int value) {
        for (int i = 0; i < size; i++) {
            bytes[offset + i] = (byte) (value >>> (8 * i));
        }
    }

    private void mask(int offset, int size, int value) {
        for (int i = 0; i < size; i++) {
            writable[offset + i] = (byte) (value >>> (8 * i));
        }
    }
}
