package dev.sel4sim.kernel.boot;

import dev.sel4sim.kernel.Kernel;
import dev.sel4sim.kernel.cap.Cap;
import dev.sel4sim.kernel.cap.Rights;
import dev.sel4sim.kernel.cap.Slot;
import dev.sel4sim.kernel.objects.CNode;
import dev.sel4sim.kernel.objects.Endpoint;
import dev.sel4sim.kernel.objects.IrqHandler;
import dev.sel4sim.kernel.objects.KObject;
import dev.sel4sim.kernel.objects.Notification;
import dev.sel4sim.kernel.objects.ObjectType;
import dev.sel4sim.kernel.objects.SchedContext;
import dev.sel4sim.kernel.objects.Tcb;
import dev.sel4sim.kernel.objects.Untyped;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a system's kernel objects and capability distribution before anything runs, as a capDL
 * loader or the Microkit tool does: objects are retyped from an untyped pool, the loader keeps the
 * original capabilities in its own CNode and gives components derived copies, so revoking an
 * original takes the capability away from everyone it was given to.
 */
public final class Loader {
    private final Kernel kernel;
    private final List<Untyped> pool;
    private final CNode own;
    private int ownNext = 1;
    private final Map<KObject, Slot> originals = new IdentityHashMap<>();
    private final List<CSpaceView> components = new ArrayList<>();

    /** @param pool untypeds to allocate from, tried in order */
    public Loader(Kernel kernel, List<Untyped> pool, int loaderRadix) {
        this.kernel = kernel;
        this.pool = List.copyOf(pool);
        this.own = allocate(ObjectType.CNODE, loaderRadix, "loader.cnode", CNode.class);
    }

    public Kernel kernel() {
        return kernel;
    }

    public List<CSpaceView> components() {
        return List.copyOf(components);
    }

    /** Creates a component's thread: TCB and root CNode of 2^radix slots, priority and core set. */
    public CSpaceView thread(String name, int radix, int priority, int core) {
        Tcb tcb = allocate(ObjectType.TCB, 0, name + ".tcb", Tcb.class);
        CNode cnode = allocate(ObjectType.CNODE, radix, name + ".cnode", CNode.class);
        tcb.setPriority(priority);
        tcb.setMaxPriority(priority);
        tcb.setCore(core);
        Cap root = Cap.of(cnode, Rights.ALL).withGuard(0, 64 - radix);
        tcb.setCspaceRoot(root);
        CSpaceView v = new CSpaceView(name, tcb, cnode);
        kernel.installDerived(cnode, CSpaceView.TCB_SLOT, Cap.of(tcb, Rights.ALL), original(tcb));
        kernel.installDerived(cnode, CSpaceView.CNODE_SLOT, root, original(cnode));
        components.add(v);
        return v;
    }

    public Endpoint endpoint(String name) {
        Endpoint e = allocate(ObjectType.ENDPOINT, 0, name, Endpoint.class);
        original(e);
        return e;
    }

    public Notification notification(String name) {
        Notification n = allocate(ObjectType.NOTIFICATION, 0, name, Notification.class);
        original(n);
        return n;
    }

    /** {@code count} contiguous 4 KiB frames from one untyped; returns the first. */
    public dev.sel4sim.kernel.objects.Frame frames(String name, int count) {
        dev.sel4sim.kernel.KernelException last = null;
        for (Untyped u : pool) {
            // Only an untyped that holds all of them: a region is never split across untypeds.
            if (((u.freeOffset() + 4095) & -4096L) + 4096L * count > u.size()) {
                continue;
            }
            try {
                var f = kernel.createFrames(u, ObjectType.FRAME_4K, count, name);
                original(f);
                return f;
            } catch (dev.sel4sim.kernel.KernelException e) {
                last = e;
            }
        }
        throw last != null ? last : new IllegalStateException("no untyped memory for " + name);
    }

    /** An MCS scheduling context with a budget and period of simulated time, bound to the thread. */
    public SchedContext schedContext(CSpaceView thread, long budgetNs, long periodNs) {
        SchedContext sc = allocate(ObjectType.SCHED_CONTEXT, ObjectType.MIN_SCHED_CONTEXT_BITS, thread.component() + ".sc", SchedContext.class);
        sc.configure(budgetNs, periodNs);
        thread.tcb().setSchedContext(sc);
        original(sc);
        return sc;
    }

    /** The handler for an IRQ, bound to a notification with a badge. */
    public IrqHandler irq(int irq, Notification signals, long badge) {
        IrqHandler h = kernel.irqHandler(irq, "irq" + irq);
        h.bind(signals, badge);
        original(h);
        return h;
    }

    /** Gives a component a derived capability; returns its CPtr in the component's CSpace. */
    public int give(CSpaceView to, KObject obj, Rights rights, long badge) {
        int slot = to.takeSlot();
        Cap cap = Cap.of(obj, rights).withBadge(badge);
        kernel.installDerived(to.cnode(), slot, cap, original(obj));
        return slot;
    }

    /** Sets a thread's fault endpoint (a badged cap, as camkes and libvmm give VMMs). */
    public void faultHandler(CSpaceView thread, Endpoint ep, long badge) {
        thread.tcb().setFaultHandler(Cap.of(ep, new Rights(false, true, true, true)).withBadge(badge));
    }

    /** The loader's own slot holding the original capability of {@code obj}. */
    public Slot original(KObject obj) {
        return originals.computeIfAbsent(obj, o -> {
            if (ownNext >= own.size()) {
                throw new IllegalStateException("loader CNode full: raise its radix");
            }
            return kernel.install(own, ownNext++, Cap.of(o, Rights.ALL));
        });
    }

    /** Revokes every capability the loader gave out to {@code obj}. */
    public void revokeAll(KObject obj) {
        Slot s = originals.get(obj);
        if (s == null) {
            return;
        }
        List<Slot> children;
        synchronized (kernel) {
            children = List.copyOf(s.children());
        }
        // deleteTree takes the lock itself and sends its Cancelled events after releasing it.
        for (Slot child : children) {
            kernel.deleteTree(child);
        }
    }

    private <T extends KObject> T allocate(ObjectType type, int userSize, String name, Class<T> as) {
        dev.sel4sim.kernel.KernelException last = null;
        for (Untyped u : pool) {
            try {
                return kernel.create(u, type, userSize, name, as);
            } catch (dev.sel4sim.kernel.KernelException e) {
                last = e;
            }
        }
        throw last != null ? last : new IllegalStateException("no untyped memory to create " + name);
    }
}
