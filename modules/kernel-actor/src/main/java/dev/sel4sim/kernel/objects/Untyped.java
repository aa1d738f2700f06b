package dev.sel4sim.kernel.objects;

/**
 * An untyped memory region. Retype carves objects from its watermark upwards, each aligned to its
 * own size, as seL4 does; memory is only reused after a revoke of the untyped's capability.
 */
public final class Untyped extends KObject {
    private final boolean device;
    private long freeOffset;

    public Untyped(String name, long paddr, int sizeBits, boolean device) {
        super(name, paddr, sizeBits);
        this.device = device;
    }

    public boolean device() {
        return device;
    }

    public long size() {
        return 1L << sizeBits();
    }

    /** Bytes used below the watermark (includes alignment padding). */
    public long freeOffset() {
        return freeOffset;
    }

    public long freeBytes() {
        return size() - freeOffset;
    }

    public void setFreeOffset(long offset) {
        this.freeOffset = offset;
    }

    @Override
    public ObjectType type() {
        return ObjectType.UNTYPED;
    }
}
