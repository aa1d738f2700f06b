package dev.sel4sim.kernel.objects;

/** An intermediate translation table (any level below the VSpace root). */
public final class PageTable extends KObject {
    public PageTable(String name, long paddr, int sizeBits) {
        super(name, paddr, sizeBits);
    }

    @Override
    public ObjectType type() {
        return ObjectType.PAGE_TABLE;
    }
}
