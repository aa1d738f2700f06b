package dev.sel4sim.kernel.cap;

import dev.sel4sim.kernel.objects.CNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A CNode slot. Besides its capability it holds the slot's place in the capability derivation
 * tree (seL4's MDB): the slot it was derived from and the slots derived from it, so revoke can
 * find every descendant.
 */
public final class Slot {
    private final CNode cnode;
    private final int index;
    private Cap cap;
    private Slot parent;
    private final List<Slot> children = new ArrayList<>(0);

    public Slot(CNode cnode, int index) {
        this.cnode = cnode;
        this.index = index;
    }

    public CNode cnode() {
        return cnode;
    }

    public int index() {
        return index;
    }

    public Cap cap() {
        return cap;
    }

    public boolean isEmpty() {
        return cap == null;
    }

    public Slot parent() {
        return parent;
    }

    public List<Slot> children() {
        return children;
    }

    /** Places a cap in this (empty) slot as a child of {@code from} (null for an original cap). */
    public void install(Cap c, Slot from) {
        if (cap != null) {
            throw new IllegalStateException("slot " + this + " is not empty");
        }
        cap = c;
        parent = from;
        if (from != null) {
            from.children.add(this);
        }
    }

    /** Empties the slot; its children move up to its parent, as in seL4's MDB list. */
    public void clear() {
        if (parent != null) {
            parent.children.remove(this);
        }
        for (Slot child : children) {
            child.parent = parent;
            if (parent != null) {
                parent.children.add(child);
            }
        }
        children.clear();
        parent = null;
        cap = null;
    }

    /** Replaces the cap in place, keeping the slot's position in the derivation tree. */
    public void replace(Cap c) {
        cap = c;
    }

    @Override
    public String toString() {
        return cnode.name() + "[" + index + "]";
    }
}
