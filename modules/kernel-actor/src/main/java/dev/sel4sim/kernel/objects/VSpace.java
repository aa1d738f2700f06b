package dev.sel4sim.kernel.objects;

/** The root of a translation (an address space, or a VM's stage-2 / EPT root). */
public final class VSpace extends KObject {
    public VSpace(String name, long paddr, int sizeBits) {
        super(name, paddr, sizeBits);
    }

    @Override
    public ObjectType type() {
        return ObjectType.VSPACE;
    }
}
