package dev.sel4sim.kernel.boot;

import dev.sel4sim.kernel.cap.Cap;
import dev.sel4sim.kernel.objects.CNode;
import dev.sel4sim.kernel.objects.Tcb;

/**
 * A component's thread as the loader set it up: its TCB and its single-level root CNode, whose
 * guard makes a CPtr equal to the slot index (the usual seL4 layout). Slot 1 holds the thread's own
 * TCB cap, slot 2 its CNode cap; connection caps follow from slot {@link #FIRST_FREE}.
 */
public final class CSpaceView {
    public static final int TCB_SLOT = 1, CNODE_SLOT = 2, FIRST_FREE = 3;
    private final String component;
    private final Tcb tcb;
    private final CNode cnode;
    private int next = FIRST_FREE;

    CSpaceView(String component, Tcb tcb, CNode cnode) {
        this.component = component;
        this.tcb = tcb;
        this.cnode = cnode;
    }

    public String component() {
        return component;
    }

    public Tcb tcb() {
        return tcb;
    }

    public CNode cnode() {
        return cnode;
    }

    int takeSlot() {
        if (next >= cnode.size()) {
            throw new IllegalStateException("CSpace of " + component + " is full (" + cnode.size() + " slots)");
        }
        return next++;
    }

    /** The cap in slot {@code i}, or null. */
    public Cap capAt(int i) {
        return cnode.slot(i).cap();
    }
}
