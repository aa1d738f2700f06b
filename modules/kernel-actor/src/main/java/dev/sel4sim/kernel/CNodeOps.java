package dev.sel4sim.kernel;

import dev.sel4sim.kernel.cap.Cap;
import dev.sel4sim.kernel.cap.Rights;
import dev.sel4sim.kernel.cap.Slot;
import dev.sel4sim.kernel.objects.CNode;
import dev.sel4sim.kernel.objects.Endpoint;
import dev.sel4sim.kernel.objects.Notification;
import dev.sel4sim.kernel.objects.Untyped;
import dev.sel4sim.kernel.trace.TraceEvent.Kind;
import java.util.ArrayList;
import java.util.List;

/** CNode invocations: Copy, Mint, Move, Mutate, Delete, Revoke. Called under the kernel lock. */
final class CNodeOps {
    private final Kernel k;

    CNodeOps(Kernel k) {
        this.k = k;
    }

    void copy(String who, Slot dest, Slot src, Rights rights) {
        Cap c = srcCap(src);
        checkEmpty(dest);
        Cap derived = derive(c).withRights(c.rights().mask(rights));
        k.place(dest, derived, src);
        k.trace(Kind.CAP_OP, who, dest.toString(), "copy " + derived + " from " + src);
    }

    /**
     * Mint: copy with reduced rights and a badge (endpoints, notifications) or a guard (CNodes).
     * A cap that already has a badge cannot be re-badged (seL4 returns IllegalOperation).
     */
    void mint(String who, Slot dest, Slot src, Rights rights, long badge, long guard, int guardBits) {
        Cap c = srcCap(src);
        checkEmpty(dest);
        Cap derived = derive(c).withRights(c.rights().mask(rights));
        switch (c.object()) {
            case Endpoint e -> derived = rebadge(derived, badge);
            case Notification n -> derived = rebadge(derived, badge);
            case CNode n -> {
                if (guardBits < 0 || guardBits + n.radixBits() > 64) {
                    throw new KernelException(Sel4Error.INVALID_ARGUMENT, "guard of " + guardBits + " bits does not fit a CNode of radix " + n.radixBits());
                }
                derived = derived.withGuard(guard, guardBits);
            }
            default -> { }
        }
        k.place(dest, derived, src);
        k.trace(Kind.CAP_OP, who, dest.toString(), "mint " + derived + " from " + src);
    }

    void move(String who, Slot dest, Slot src) {
        Cap c = srcCap(src);
        checkEmpty(dest);
        Slot parent = src.parent();
        List<Slot> children = new ArrayList<>(src.children());
        // Detach without finalising: the object keeps exactly one more reference after the move.
        k.place(dest, c, parent);
        k.remove(src);
        for (Slot child : children) {
            if (child.parent() != dest) {
                reparent(child, dest);
            }
        }
        k.trace(Kind.CAP_OP, who, dest.toString(), "move " + c + " from " + src);
    }

    void delete(String who, Slot s) {
        if (s.isEmpty()) {
            return;
        }
        Cap c = s.cap();
        k.remove(s);
        k.trace(Kind.CAP_OP, who, s.toString(), "delete " + c);
    }

    /** Deletes every capability derived from the one in {@code s}; the cap itself stays. */
    int revoke(String who, Slot s) {
        if (s.isEmpty()) {
            return 0;
        }
        int n = 0;
        for (Slot child : List.copyOf(s.children())) {
            n += revoke(who, child);
            if (!child.isEmpty()) {
                k.remove(child);
                n++;
            }
        }
        if (n > 0) {
            k.trace(Kind.CAP_OP, who, s.toString(), "revoke: " + n + " derived caps deleted");
        }
        return n;
    }

    private static Cap srcCap(Slot src) {
        if (src.isEmpty()) {
            throw new KernelException(Sel4Error.FAILED_LOOKUP, "source slot " + src + " is empty");
        }
        return src.cap();
    }

    private static void checkEmpty(Slot dest) {
        if (!dest.isEmpty()) {
            throw new KernelException(Sel4Error.DELETE_FIRST, "destination slot " + dest + " holds " + dest.cap());
        }
    }

    /** seL4's deriveCap: an untyped with children cannot be copied (RevokeFirst). */
    private static Cap derive(Cap c) {
        if (c.object() instanceof Untyped u && u.freeOffset() > 0) {
            throw new KernelException(Sel4Error.REVOKE_FIRST, "untyped " + u.name() + " has objects retyped from it: revoke it first");
        }
        return c;
    }

    private static Cap rebadge(Cap c, long badge) {
        if (badge == 0) {
            return c;
        }
        if (c.badge() != 0) {
            throw new KernelException(Sel4Error.ILLEGAL_OPERATION, "cap " + c + " already has a badge; mint from the unbadged original");
        }
        return c.withBadge(badge);
    }

    private static void reparent(Slot child, Slot newParent) {
        Cap cap = child.cap();
        List<Slot> grandChildren = new ArrayList<>(child.children());
        Slot oldParent = child.parent();
        if (oldParent != null) {
            oldParent.children().remove(child);
        }
        // Re-link by hand: the cap stays, only its position in the tree changes.
        child.children().clear();
        child.replace(null);
        child.install(cap, newParent);
        child.children().addAll(grandChildren);
    }
}
