package dev.sel4sim.kernel.cap;

import dev.sel4sim.kernel.objects.KObject;

/**
 * A capability: an object reference with rights and a badge; CNode capabilities also carry a
 * guard. Immutable; derivation (mint, copy) makes a new one.
 */
public record Cap(KObject object, Rights rights, long badge, long guard, int guardBits) {
    public Cap {
        if (object == null) {
            throw new IllegalArgumentException("a capability needs an object");
        }
    }

    public static Cap of(KObject object, Rights rights) {
        return new Cap(object, rights, 0, 0, 0);
    }

    public Cap withRights(Rights r) {
        return new Cap(object, r, badge, guard, guardBits);
    }

    public Cap withBadge(long b) {
        return new Cap(object, rights, b, guard, guardBits);
    }

    public Cap withGuard(long g, int bits) {
        return new Cap(object, rights, badge, g, bits);
    }

    @Override
    public String toString() {
        return object + " [" + rights + (badge != 0 ? ", badge 0x" + Long.toHexString(badge) : "") + "]";
    }
}
