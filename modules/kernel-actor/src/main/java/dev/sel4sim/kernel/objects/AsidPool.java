package dev.sel4sim.kernel.objects;

/** An ASID pool: 512 address-space identifiers (seL4_ASIDPoolBits). */
public final class AsidPool extends KObject {
    public static final int ENTRIES = 512;
    private int used;

    public AsidPool(String name, long paddr, int sizeBits) {
        super(name, paddr, sizeBits);
    }

    public int used() {
        return used;
    }

    /** Assigns the next free ASID or returns -1 when the pool is full. */
    public int assign() {
        return used < ENTRIES ? used++ : -1;
    }

    @Override
    public ObjectType type() {
        return ObjectType.ASID_POOL;
    }
}
