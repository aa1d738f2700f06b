package dev.sel4sim.kernel;

import dev.sel4sim.kernel.objects.AsidPool;
import dev.sel4sim.kernel.objects.CNode;
import dev.sel4sim.kernel.objects.Endpoint;
import dev.sel4sim.kernel.objects.Frame;
import dev.sel4sim.kernel.objects.KObject;
import dev.sel4sim.kernel.objects.Notification;
import dev.sel4sim.kernel.objects.ObjectType;
import dev.sel4sim.kernel.objects.PageTable;
import dev.sel4sim.kernel.objects.SchedContext;
import dev.sel4sim.kernel.objects.Tcb;
import dev.sel4sim.kernel.objects.Untyped;
import dev.sel4sim.kernel.objects.VSpace;
import dev.sel4sim.kernel.objects.Vcpu;
import dev.sel4sim.kernel.trace.TraceEvent.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * Untyped_Retype: objects are carved upwards from the untyped's watermark, each aligned to its own
 * size. Called under the kernel lock.
 */
final class UntypedOps {
    private final Kernel k;

    UntypedOps(Kernel k) {
        this.k = k;
    }

    List<KObject> carve(Untyped ut, ObjectType type, int userSize, int count, String baseName) {
        if (count < 1 || count > 256) {
            throw new KernelException(Sel4Error.RANGE_ERROR, "object count " + count + " not in 1..256 (retype fan-out limit)");
        }
        checkUserSize(type, userSize);
        if (ut.device() && !(type == ObjectType.UNTYPED || type.name().startsWith("FRAME"))) {
            throw new KernelException(Sel4Error.INVALID_ARGUMENT, "device untyped " + ut.name() + " can only be retyped into frames or untypeds, not " + type.sel4Name());
        }
        int bits = type.sizeBits(k.arch(), userSize, k.mcs(), k.paBits());
        long objSize = 1L << bits;
        long aligned = alignUp(ut.freeOffset(), objSize);
        long need = objSize * count;
        if (bits > ut.sizeBits() || aligned + need > ut.size()) {
            throw new KernelException(Sel4Error.NOT_ENOUGH_MEMORY, String.format(
                    "untyped %s (%s at 0x%x) cannot hold %d x %s of %s: %s free above its watermark at +0x%x%s",
                    ut.name(), Sizes.human(ut.size()), ut.paddr(), count, type.sel4Name(), Sizes.human(objSize),
                    Sizes.human(Math.max(0, ut.size() - aligned)), ut.freeOffset(),
                    aligned != ut.freeOffset() ? String.format(" (after aligning to %s: +0x%x)", Sizes.human(objSize), aligned) : ""));
        }
        List<KObject> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long paddr = ut.paddr() + aligned + i * objSize;
            String name = count == 1 ? baseName : baseName + "." + i;
            out.add(make(type, name, paddr, bits, userSize, ut.device()));
        }
        ut.setFreeOffset(aligned + need);
        k.trace(Kind.RETYPE, ut.name(), baseName, count + " x " + type.sel4Name() + " of " + Sizes.human(objSize)
                + " at 0x" + Long.toHexString(ut.paddr() + aligned));
        return out;
    }

    private static void checkUserSize(ObjectType type, int userSize) {
        switch (type) {
            case UNTYPED -> {
                if (userSize < ObjectType.MIN_UNTYPED_BITS || userSize > ObjectType.MAX_UNTYPED_BITS) {
                    throw new KernelException(Sel4Error.RANGE_ERROR, "untyped size 2^" + userSize + " not in 2^"
                            + ObjectType.MIN_UNTYPED_BITS + "..2^" + ObjectType.MAX_UNTYPED_BITS);
                }
            }
            case CNODE -> {
                if (userSize < 1 || userSize > 28) {
                    throw new KernelException(Sel4Error.RANGE_ERROR, "CNode radix " + userSize + " not in 1..28");
                }
            }
            case SCHED_CONTEXT -> {
                if (userSize < ObjectType.MIN_SCHED_CONTEXT_BITS || userSize > 32) {
                    throw new KernelException(Sel4Error.RANGE_ERROR, "SchedContext size 2^" + userSize + " below seL4_MinSchedContextBits ("
                            + ObjectType.MIN_SCHED_CONTEXT_BITS + ") or too large");
                }
            }
            default -> { }
        }
    }

    private static KObject make(ObjectType type, String name, long paddr, int bits, int userSize, boolean device) {
        return switch (type) {
            case UNTYPED -> new Untyped(name, paddr, bits, device);
            case TCB -> new Tcb(name, paddr, bits);
            case ENDPOINT -> new Endpoint(name, paddr, bits);
            case NOTIFICATION -> new Notification(name, paddr, bits);
            case CNODE -> new CNode(name, paddr, userSize);
            case SCHED_CONTEXT -> new SchedContext(name, paddr, bits);
            case FRAME_4K, FRAME_2M, FRAME_1G -> new Frame(name, paddr, type, bits, device);
            case PAGE_TABLE -> new PageTable(name, paddr, bits);
            case VSPACE -> new VSpace(name, paddr, bits);
            case VCPU -> new Vcpu(name, paddr, bits);
            case ASID_POOL -> new AsidPool(name, paddr, bits);
            case REPLY -> throw new KernelException(Sel4Error.INVALID_ARGUMENT, "reply objects exist only in MCS builds; this model uses the non-MCS reply capability");
        };
    }

    static long alignUp(long v, long a) {
        return (v + a - 1) & -a;
    }
}
