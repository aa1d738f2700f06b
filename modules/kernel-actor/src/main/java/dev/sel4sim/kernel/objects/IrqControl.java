package dev.sel4sim.kernel.objects;

/** The IRQ control capability's object: issues IRQ handler capabilities, each IRQ at most once. */
public final class IrqControl extends KObject {
    public IrqControl() {
        super("irq-control", 0, 0);
    }

    @Override
    public ObjectType type() {
        return null;
    }

    @Override
    public String typeLabel() {
        return "irq-control";
    }
}
