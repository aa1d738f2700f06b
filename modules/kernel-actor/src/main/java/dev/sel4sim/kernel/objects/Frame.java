package dev.sel4sim.kernel.objects;

/** A frame of 4 KiB, 2 MiB or 1 GiB; device frames come from device untypeds. */
public final class Frame extends KObject {
    private final ObjectType type;
    private final boolean device;

    public Frame(String name, long paddr, ObjectType type, int sizeBits, boolean device) {
        super(name, paddr, sizeBits);
        this.type = type;
        this.device = device;
    }

    public boolean device() {
        return device;
    }

    @Override
    public ObjectType type() {
        return type;
    }
}
