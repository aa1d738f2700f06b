package dev.sel4sim.kernel;

import dev.sel4sim.kernel.cap.Cap;
import dev.sel4sim.kernel.cap.Slot;
import dev.sel4sim.kernel.ipc.KernelEvent;
import dev.sel4sim.kernel.objects.AsidControl;
import dev.sel4sim.kernel.objects.CNode;
import dev.sel4sim.kernel.objects.Endpoint;
import dev.sel4sim.kernel.objects.IrqControl;
import dev.sel4sim.kernel.objects.IrqHandler;
import dev.sel4sim.kernel.objects.KObject;
import dev.sel4sim.kernel.objects.Notification;
import dev.sel4sim.kernel.objects.ObjectType;
import dev.sel4sim.kernel.objects.Tcb;
import dev.sel4sim.kernel.objects.Untyped;
import dev.sel4sim.kernel.sched.Timeline;
import dev.sel4sim.kernel.trace.TraceEvent;
import dev.sel4sim.kernel.trace.TraceSink;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The seL4 kernel model of one simulation: every kernel object, the capability derivation tree and
 * the IRQ table. System calls run in the invoking thread's actor under this kernel's lock, as seL4
 * runs them in the invoking thread's context under its big kernel lock; deliveries to other threads
 * are messages to their actors. Nothing here is static: two simulations never share a kernel.
 */
public final class Kernel {
    private final Arch arch;
    private final boolean mcs;
    private final int paBits;
    private final Timeline timeline;
    private final List<TraceSink> sinks = new CopyOnWriteArrayList<>();
    private final IrqControl irqControl = new IrqControl();
    private final AsidControl asidControl = new AsidControl();
    private final Map<Integer, IrqHandler> irqHandlers = new HashMap<>();
    private final int irqLines;
    private final Map<KObject, Integer> capCounts = new IdentityHashMap<>();
    private final List<Untyped> untypeds = new ArrayList<>();
    private final Map<Tcb, Injection> injections = new IdentityHashMap<>();
    final IpcOps ipc = new IpcOps(this);
    final CNodeOps cnodes = new CNodeOps(this);
    final UntypedOps retype = new UntypedOps(this);
    private long ipcMessages;
    // Deliveries decided under the lock; whoever holds the lock drains it before releasing.
    private final Outbox pending = new Outbox();

    /**
     * @param arch      object sizes follow this architecture
     * @param mcs       build with the mixed-criticality (MCS) configuration
     * @param paBits    physical-address bits of the board (aarch64 40-bit boards get an 8 KiB VSpace)
     * @param irqLines  number of interrupt lines IRQControl may hand out
     * @param timeline  simulated time
     */
    public Kernel(Arch arch, boolean mcs, int paBits, int irqLines, Timeline timeline) {
        this.arch = arch;
        this.mcs = mcs;
        this.paBits = paBits;
        this.irqLines = irqLines;
        this.timeline = timeline;
    }

    public Arch arch() {
        return arch;
    }

    public boolean mcs() {
        return mcs;
    }

    public int paBits() {
        return paBits;
    }

    public Timeline timeline() {
        return timeline;
    }

    public int irqLines() {
        return irqLines;
    }

    public IrqControl irqControl() {
        return irqControl;
    }

    public AsidControl asidControl() {
        return asidControl;
    }

    public List<Untyped> untypeds() {
        synchronized (this) {
            return List.copyOf(untypeds);
        }
    }

    /** Watches every kernel event (IPC, signals, IRQs, faults, denials). */
    public void addTraceSink(TraceSink sink) {
        sinks.add(sink);
    }

    public synchronized long ipcMessages() {
        return ipcMessages;
    }

    // ---------------------------------------------------------------- boot (the loader's part)

    /** Declares an untyped region the kernel hands to the system at boot. */
    public synchronized Untyped addUntyped(String name, long paddr, int sizeBits, boolean device) {
        if (sizeBits < ObjectType.MIN_UNTYPED_BITS || sizeBits > ObjectType.MAX_UNTYPED_BITS) {
            throw new IllegalArgumentException("untyped size 2^" + sizeBits + " out of range");
        }
        if ((paddr & ((1L << sizeBits) - 1)) != 0) {
            throw new IllegalArgumentException("untyped " + name + " at 0x" + Long.toHexString(paddr) + " is not aligned to its size 2^" + sizeBits);
        }
        Untyped u = new Untyped(name, paddr, sizeBits, device);
        untypeds.add(u);
        return u;
    }

    /**
     * Retypes one object out of an untyped on behalf of the system loader (as a capDL loader
     * or the Microkit tool does before any component runs). Fails as seL4 would.
     */
    public synchronized <T extends KObject> T create(Untyped from, ObjectType type, int userSize, String name, Class<T> as) {
        return as.cast(retype.carve(from, type, userSize, 1, name).getFirst());
    }

    /**
     * Retypes {@code count} frames for a memory region, in batches of the retype fan-out limit.
     * Returns the first frame; the others follow it contiguously.
     */
    public synchronized dev.sel4sim.kernel.objects.Frame createFrames(Untyped from, ObjectType type, long count, String name) {
        dev.sel4sim.kernel.objects.Frame first = null;
        for (long done = 0; done < count; ) {
            int n = (int) Math.min(256, count - done);
            var objs = retype.carve(from, type, 0, n, name + "." + done);
            if (first == null) {
                first = (dev.sel4sim.kernel.objects.Frame) objs.getFirst();
            }
            done += n;
        }
        return first;
    }

    /** Installs an original capability (no parent) in a slot, as the loader does. */
    public synchronized Slot install(CNode cnode, int index, Cap cap) {
        Slot s = cnode.slot(index);
        if (!s.isEmpty()) {
            throw new KernelException(Sel4Error.DELETE_FIRST, "slot " + s + " already holds " + s.cap());
        }
        place(s, cap, null);
        return s;
    }

    /** Installs a capability derived from {@code parent} (so revoking the parent removes it). */
    public synchronized Slot installDerived(CNode cnode, int index, Cap cap, Slot parent) {
        Slot s = cnode.slot(index);
        if (!s.isEmpty()) {
            throw new KernelException(Sel4Error.DELETE_FIRST, "slot " + s + " already holds " + s.cap());
        }
        place(s, cap, parent);
        return s;
    }

    /** Creates the handler object for an IRQ at boot; same rules as IRQControl_Get. */
    public synchronized IrqHandler irqHandler(int irq, String name) {
        return claimIrq(irq, name);
    }

    /** Deletes a capability and everything derived from it (the loader's revoke of a grant). */
    public void deleteTree(Slot s) {
        Outbox out = new Outbox();
        synchronized (this) {
            try {
                cnodes.revoke("loader", s);
                remove(s);
            } finally {
                drainOutboxTo(out);
            }
        }
        out.send();
    }

    // ---------------------------------------------------------------- threads

    /** Connects a TCB to the actor that runs it; events for the thread go to {@code inbox}. */
    public synchronized void attach(Tcb t, java.util.function.Consumer<KernelEvent> inbox) {
        ipc.cancel(t, "thread restarted");
        t.setInbox(inbox);
        t.run();
        trace(TraceEvent.Kind.LIFECYCLE, t.name(), t.name(), "started");
    }

    /** The thread's actor stopped: the thread is suspended and leaves every queue. */
    public synchronized void detach(Tcb t, String why) {
        ipc.cancel(t, why);
        t.setInactive();
        t.setInbox(null);
        trace(TraceEvent.Kind.LIFECYCLE, t.name(), t.name(), "stopped: " + why);
    }

    // ---------------------------------------------------------------- interrupts

    synchronized IrqHandler claimIrq(int irq, String name) {
        if (irq < 0 || irq >= irqLines) {
            throw new KernelException(Sel4Error.RANGE_ERROR, "IRQ " + irq + " is not in 0.." + (irqLines - 1));
        }
        if (irqHandlers.containsKey(irq)) {
            throw new KernelException(Sel4Error.REVOKE_FIRST, "IRQ " + irq + " already has a handler (" + irqHandlers.get(irq).name() + ")");
        }
        IrqHandler h = new IrqHandler(name, irq);
        irqHandlers.put(irq, h);
        return h;
    }

    public synchronized IrqHandler handlerOf(int irq) {
        return irqHandlers.get(irq);
    }

    /**
     * A device raised interrupt line {@code irq}. Signals the handler's notification and masks the
     * line until the handler acknowledges it; an edge arriving while masked is latched once, as a
     * GIC keeps it pending, and delivered at the acknowledge.
     */
    public void raiseIrq(int irq) {
        Outbox out = new Outbox();
        synchronized (this) {
            try {
                raiseIrqLocked(irq);
            } finally {
                drainOutboxTo(out);
            }
        }
        out.send();
    }

    private void raiseIrqLocked(int irq) {
        IrqHandler h = irqHandlers.get(irq);
        if (h == null || h.notification() == null) {
            if (h != null) {
                h.countLost();
            }
            trace(TraceEvent.Kind.IRQ, "irq " + irq, "-", "no handler bound: dropped");
            return;
        }
        if (h.masked()) {
            h.setLatched(true);
            trace(TraceEvent.Kind.IRQ, "irq " + irq, h.notification().name(), "masked: latched until ack");
            return;
        }
        h.setMasked(true);
        h.countDelivered();
        trace(TraceEvent.Kind.IRQ, "irq " + irq, h.notification().name(), "badge 0x" + Long.toHexString(h.badge()));
        ipc.signal(h.notification(), h.badge(), "irq " + irq);
    }

    synchronized void ackIrq(IrqHandler h) {
        h.setMasked(false);
        if (h.latched()) {
            h.setLatched(false);
            raiseIrqLocked(h.irq());
        }
    }

    // ---------------------------------------------------------------- capability bookkeeping

    void place(Slot s, Cap cap, Slot parent) {
        s.install(cap, parent);
        capCounts.merge(cap.object(), 1, Integer::sum);
    }

    /** Empties a slot; finalises the object when this was its last capability. */
    void remove(Slot s) {
        Cap cap = s.cap();
        if (cap == null) {
            return;
        }
        s.clear();
        int left = capCounts.merge(cap.object(), -1, Integer::sum);
        if (left <= 0) {
            capCounts.remove(cap.object());
            finalise(cap.object());
        }
    }

    /** Live capabilities to an object. */
    public synchronized int capCount(KObject o) {
        return capCounts.getOrDefault(o, 0);
    }

    private void finalise(KObject o) {
        switch (o) {
            case Endpoint ep -> ipc.cancelAll(ep, "endpoint " + ep.name() + " deleted");
            case Notification n -> ipc.cancelAll(n, "notification " + n.name() + " deleted");
            case Tcb t -> {
                ipc.cancel(t, "TCB deleted");
                t.setInactive();
            }
            case IrqHandler h -> irqHandlers.remove(h.irq(), h);
            default -> { }
        }
    }

    // ---------------------------------------------------------------- delivery and tracing

    /** Sends an event to a thread's actor, through any fault injection set on that thread. */
    void deliver(Tcb t, KernelEvent ev) {
        var inbox = t.inbox();
        if (inbox == null) {
            trace(TraceEvent.Kind.LIFECYCLE, "kernel", t.name(), "event lost, thread not running: " + ev);
            return;
        }
        if (ev instanceof KernelEvent.IpcReceived || ev instanceof KernelEvent.ReplyReceived) {
            ipcMessages++;
        }
        Injection inj = injections.get(t);
        if (inj != null) {
            if (inj.dropNext > 0) {
                inj.dropNext--;
                inj.dropped++;
                trace(TraceEvent.Kind.INJECTED, "chaos", t.name(), "dropped " + ev);
                return;
            }
            if (inj.delayNs > 0) {
                trace(TraceEvent.Kind.INJECTED, "chaos", t.name(), "delayed " + inj.delayNs + " ns: " + ev);
                timeline.scheduleAfter(inj.delayNs, () -> inbox.accept(ev));
                return;
            }
        }
        pending.add(inbox, ev);
    }

    /** Takes the deliveries decided so far; call under the lock, send them after releasing it. */
    void drainOutboxTo(Outbox to) {
        pending.moveTo(to);
    }

    void trace(TraceEvent.Kind kind, String from, String to, String detail) {
        if (sinks.isEmpty()) {
            return;
        }
        TraceEvent e = new TraceEvent(timeline.nowNs(), kind, from, to, detail);
        for (TraceSink s : sinks) {
            s.accept(e);
        }
    }

    boolean tracing() {
        return !sinks.isEmpty();
    }

    // ---------------------------------------------------------------- fault injection

    static final class Injection {
        int dropNext;
        long delayNs;
        long dropped;
    }

    /** Drops the next {@code n} kernel deliveries to a thread (chaos: a lost message). */
    public synchronized void injectDrop(Tcb t, int n) {
        injections.computeIfAbsent(t, k -> new Injection()).dropNext += n;
    }

    /** Delays every delivery to a thread by {@code ns} of simulated time (0 clears). */
    public synchronized void injectDelay(Tcb t, long ns) {
        injections.computeIfAbsent(t, k -> new Injection()).delayNs = ns;
    }

    public synchronized long droppedDeliveries(Tcb t) {
        Injection i = injections.get(t);
        return i == null ? 0 : i.dropped;
    }
}
