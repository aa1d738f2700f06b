package dev.sel4sim.kernel.objects;

/** A virtual CPU object, bound to at most one TCB. */
public final class Vcpu extends KObject {
    private Tcb boundTcb;

    public Vcpu(String name, long paddr, int sizeBits) {
        super(name, paddr, sizeBits);
    }

    public Tcb boundTcb() {
        return boundTcb;
    }

    public void setBoundTcb(Tcb t) {
        boundTcb = t;
    }

    @Override
    public ObjectType type() {
        return ObjectType.VCPU;
    }
}
