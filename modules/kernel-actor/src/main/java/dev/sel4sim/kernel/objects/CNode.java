package dev.sel4sim.kernel.objects;

import dev.sel4sim.kernel.cap.Slot;

/** A CNode of 2^radix slots. */
public final class CNode extends KObject {
    private final int radixBits;
    private final Slot[] slots;

    public CNode(String name, long paddr, int radixBits) {
        super(name, paddr, radixBits + ObjectType.SLOT_BITS);
        this.radixBits = radixBits;
        this.slots = new Slot[1 << radixBits];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new Slot(this, i);
        }
    }

    public int radixBits() {
        return radixBits;
    }

    public int size() {
        return slots.length;
    }

    public Slot slot(int index) {
        return slots[index];
    }

    @Override
    public ObjectType type() {
        return ObjectType.CNODE;
    }
}
