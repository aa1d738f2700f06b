package dev.sel4sim.kernel.objects;

/**
 * A kernel object. Its state is owned by the {@link dev.sel4sim.kernel.Kernel} that created it and
 * is only touched under that kernel's lock, as seL4's kernel state is only touched inside the kernel.
 */
public abstract sealed class KObject
        permits Untyped, Tcb, Endpoint, Notification, CNode, Frame, PageTable, VSpace, Vcpu,
        IrqControl, IrqHandler, SchedContext, AsidPool, AsidControl {
    private final String name;
    private final long paddr;
    private final int sizeBits;

    protected KObject(String name, long paddr, int sizeBits) {
        this.name = name;
        this.paddr = paddr;
        this.sizeBits = sizeBits;
    }

    /** A readable name, unique within its kernel (e.g. {@code client.tcb}, {@code rpc.ep}). */
    public String name() {
        return name;
    }

    /** Physical address in the untyped it was retyped from (0 for kernel-created singletons). */
    public long paddr() {
        return paddr;
    }

    public int sizeBits() {
        return sizeBits;
    }

    public abstract ObjectType type();

    /** Short type label for capability tables. */
    public String typeLabel() {
        return type() == null ? getClass().getSimpleName() : type().name().toLowerCase().replace('_', '-');
    }

    @Override
    public String toString() {
        return typeLabel() + " " + name;
    }
}
