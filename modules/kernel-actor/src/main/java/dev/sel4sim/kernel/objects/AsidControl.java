package dev.sel4sim.kernel.objects;

/** The ASID control capability's object: makes ASID pools out of untyped memory. */
public final class AsidControl extends KObject {
    public AsidControl() {
        super("asid-control", 0, 0);
    }

    @Override
    public ObjectType type() {
        return null;
    }

    @Override
    public String typeLabel() {
        return "asid-control";
    }
}
