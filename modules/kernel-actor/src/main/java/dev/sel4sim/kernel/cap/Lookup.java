package dev.sel4sim.kernel.cap;

import dev.sel4sim.kernel.KernelException;
import dev.sel4sim.kernel.Sel4Error;
import dev.sel4sim.kernel.objects.CNode;

/**
 * Capability address resolution through a tree of CNodes with guards, as seL4's
 * resolveAddressBits: each level consumes the guard then the radix bits of the CPtr.
 */
public final class Lookup {
    public static final int WORD_BITS = 64;

    private Lookup() {
    }

    /** The slot a CPtr names, resolving exactly {@code depth} bits (CNode operations). */
    public static Slot slot(Cap root, long cptr, int depth) {
        Resolved r = resolve(root, cptr, depth);
        if (r.bitsLeft != 0) {
            throw new KernelException(Sel4Error.FAILED_LOOKUP,
                    "depth mismatch: " + r.bitsLeft + " bits of 0x" + Long.toHexString(cptr) + " left unresolved at " + r.slot);
        }
        return r.slot;
    }

    /** The capability a CPtr names with the full word depth, as a system call looks it up. */
    public static Slot capSlot(Cap root, long cptr) {
        return resolve(root, cptr, WORD_BITS).slot;
    }

    private record Resolved(Slot slot, int bitsLeft) {}

    private static Resolved resolve(Cap nodeCap, long cptr, int nBits) {
        if (nBits < 1 || nBits > WORD_BITS) {
            throw new KernelException(Sel4Error.RANGE_ERROR, "depth " + nBits + " not in 1.." + WORD_BITS);
        }
        while (true) {
            if (nodeCap == null || !(nodeCap.object() instanceof CNode cnode)) {
                throw new KernelException(Sel4Error.FAILED_LOOKUP, "invalid root: not a CNode capability");
            }
            int radix = cnode.radixBits();
            int guardBits = nodeCap.guardBits();
            int levelBits = radix + guardBits;
            if (guardBits > nBits) {
                throw new KernelException(Sel4Error.FAILED_LOOKUP, "guard mismatch: guard of " + guardBits + " bits but only " + nBits + " bits left");
            }
            long guard = guardBits == 0 ? 0 : (cptr >>> (nBits - guardBits)) & mask(guardBits);
            if (guard != nodeCap.guard()) {
                throw new KernelException(Sel4Error.FAILED_LOOKUP, "guard mismatch at " + cnode.name()
                        + ": CPtr 0x" + Long.toHexString(cptr) + " has guard 0x" + Long.toHexString(guard)
                        + ", the CNode cap expects 0x" + Long.toHexString(nodeCap.guard()));
            }
            if (levelBits > nBits) {
                throw new KernelException(Sel4Error.FAILED_LOOKUP, "depth mismatch: " + cnode.name() + " needs "
                        + levelBits + " bits but only " + nBits + " remain");
            }
            int offset = (int) ((cptr >>> (nBits - levelBits)) & mask(radix));
            Slot slot = cnode.slot(offset);
            if (nBits == levelBits) {
                return new Resolved(slot, 0);
            }
            nBits -= levelBits;
            Cap next = slot.cap();
            if (next == null || !(next.object() instanceof CNode)) {
                return new Resolved(slot, nBits);
            }
            nodeCap = next;
        }
    }

    private static long mask(int bits) {
        return bits >= 64 ? -1L : (1L << bits) - 1;
    }
}
