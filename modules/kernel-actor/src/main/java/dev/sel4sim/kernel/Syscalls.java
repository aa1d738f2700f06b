package dev.sel4sim.kernel;

import dev.sel4sim.kernel.cap.Cap;
import dev.sel4sim.kernel.cap.Lookup;
import dev.sel4sim.kernel.cap.Rights;
import dev.sel4sim.kernel.cap.Slot;
import dev.sel4sim.kernel.ipc.Fault;
import dev.sel4sim.kernel.ipc.Message;
import dev.sel4sim.kernel.objects.CNode;
import dev.sel4sim.kernel.objects.Endpoint;
import dev.sel4sim.kernel.objects.IrqControl;
import dev.sel4sim.kernel.objects.IrqHandler;
import dev.sel4sim.kernel.objects.KObject;
import dev.sel4sim.kernel.objects.Notification;
import dev.sel4sim.kernel.objects.ObjectType;
import dev.sel4sim.kernel.objects.SchedContext;
import dev.sel4sim.kernel.objects.Tcb;
import dev.sel4sim.kernel.objects.ThreadState;
import dev.sel4sim.kernel.objects.Untyped;
import dev.sel4sim.kernel.trace.TraceEvent.Kind;
import java.util.List;
import java.util.function.Supplier;

/**
 * The system-call interface of one thread: everything a component may do, and only through
 * capabilities in its own CSpace, named by CPtrs. Calls that block return
 * {@link SysResult.Blocked} and complete with a {@link dev.sel4sim.kernel.ipc.KernelEvent} to the
 * thread's actor. A component gets its Syscalls when its actor starts; it never sees another
 * component's actor.
 */
public final class Syscalls {
    private final Kernel k;
    private final Tcb self;
    // Used only from this thread's own actor, so one per Syscalls is enough.
    private final Outbox outbox = new Outbox();

    public Syscalls(Kernel kernel, Tcb self) {
        this.k = kernel;
        this.self = self;
    }

    /** This thread's name. */
    public String name() {
        return self.name();
    }

    /** Simulated time now, in nanoseconds. */
    public long nowNs() {
        return k.timeline().nowNs();
    }

    // ------------------------------------------------------------------ IPC

    /** seL4_Send: blocks until a receiver takes the message. Needs Write on the endpoint. */
    public SysResult send(long ep, Message msg) {
        return sendOp(ep, msg, true, false, "Send");
    }

    /** seL4_NBSend: delivered only if a receiver is waiting, silently dropped otherwise. */
    public SysResult nbSend(long ep, Message msg) {
        return sendOp(ep, msg, false, false, "NBSend");
    }

    /** seL4_Call: send, then wait for the reply ({@code ReplyReceived}). */
    public SysResult call(long ep, Message msg) {
        return sendOp(ep, msg, true, true, "Call");
    }

    /** seL4_Recv on an endpoint (or a notification, which is then a Wait). Needs Read. */
    public SysResult recv(long cptr) {
        return recvOp(cptr, true, "Recv");
    }

    /** seL4_NBRecv: returns {@link SysResult.Delivered} or {@link SysResult.Done} when nothing waits. */
    public SysResult nbRecv(long cptr) {
        return recvOp(cptr, false, "NBRecv");
    }

    /** seL4_Reply: answers the last caller; without a caller it does nothing, as in seL4. */
    public SysResult reply(Message msg) {
        return run("Reply", () -> {
            k.ipc.reply(self, msg);
            return SysResult.OK;
        });
    }

    /** seL4_ReplyRecv: reply to the caller, then receive on {@code ep}. */
    public SysResult replyRecv(long ep, Message msg) {
        return run("ReplyRecv", () -> {
            k.ipc.reply(self, msg);
            return recvInner(ep, true, "ReplyRecv");
        });
    }

    /** seL4_Signal: needs Write on the notification; the cap's badge is OR-ed in. */
    public SysResult signal(long ntfn) {
        return run("Signal", () -> {
            Cap c = cap(ntfn, "Signal");
            if (!(c.object() instanceof Notification n)) {
                throw new KernelException(Sel4Error.INVALID_CAPABILITY, "Signal on " + c + ", not a notification");
            }
            if (!c.rights().write()) {
                throw new KernelException(Sel4Error.INVALID_CAPABILITY, "Signal through " + c + " without Write right");
            }
            k.ipc.signal(n, c.badge(), self.name());
            return SysResult.OK;
        });
    }

    /** seL4_Wait: blocks until the notification is signalled; the OR of the badges arrives. */
    public SysResult waitFor(long ntfn) {
        return recvOp(ntfn, true, "Wait");
    }

    /** seL4_Poll: the pending badges now ({@code Done.value}), 0 if none. */
    public SysResult poll(long ntfn) {
        return run("Poll", () -> {
            SysResult r = recvInner(ntfn, false, "Poll");
            if (r instanceof SysResult.Delivered d && d.event() instanceof dev.sel4sim.kernel.ipc.KernelEvent.NotificationReceived nr) {
                return new SysResult.Done(nr.badge());
            }
            return r;
        });
    }

    /** Where caps transferred to this thread land (a CPtr in its own CSpace; -1 for none). */
    public void setReceiveSlot(long cptr) {
        synchronized (k) {
            self.setReceiveSlot(cptr);
        }
    }

    // ------------------------------------------------------------------ faults and time

    /** Raises a fault for this thread (e.g. an unknown syscall); it blocks until the handler replies. */
    public SysResult raiseFault(Fault fault) {
        return run("Fault", () -> k.ipc.fault(self, fault));
    }

    /**
     * Accounts {@code ns} of simulated execution to this thread's scheduling context (MCS). Once
     * the budget is used up the thread's core holds its next messages until the replenishment.
     * Returns true when the budget is exhausted.
     */
    public boolean compute(long ns) {
        SchedContext sc;
        synchronized (k) {
            sc = self.schedContext();
        }
        return sc != null && sc.charge(k.timeline().nowNs(), ns);
    }

    // ------------------------------------------------------------------ CNode invocations

    /** seL4_CNode_Copy with rights mask; slots are (CNode cap, index, depth). */
    public SysResult cnodeCopy(long destRoot, long destIndex, int destDepth, long srcRoot, long srcIndex, int srcDepth, Rights rights) {
        return run("CNode_Copy", () -> {
            k.cnodes.copy(self.name(), slot(destRoot, destIndex, destDepth), slot(srcRoot, srcIndex, srcDepth), rights);
            return SysResult.OK;
        });
    }

    /** seL4_CNode_Mint: copy with a rights mask and a badge (endpoint/notification). */
    public SysResult cnodeMint(long destRoot, long destIndex, int destDepth, long srcRoot, long srcIndex, int srcDepth, Rights rights, long badge) {
        return run("CNode_Mint", () -> {
            k.cnodes.mint(self.name(), slot(destRoot, destIndex, destDepth), slot(srcRoot, srcIndex, srcDepth), rights, badge, 0, 0);
            return SysResult.OK;
        });
    }

    /** seL4_CNode_Mint of a CNode cap with a guard. */
    public SysResult cnodeMintGuard(long destRoot, long destIndex, int destDepth, long srcRoot, long srcIndex, int srcDepth, long guard, int guardBits) {
        return run("CNode_Mint", () -> {
            k.cnodes.mint(self.name(), slot(destRoot, destIndex, destDepth), slot(srcRoot, srcIndex, srcDepth), Rights.ALL, 0, guard, guardBits);
            return SysResult.OK;
        });
    }

    public SysResult cnodeMove(long destRoot, long destIndex, int destDepth, long srcRoot, long srcIndex, int srcDepth) {
        return run("CNode_Move", () -> {
            k.cnodes.move(self.name(), slot(destRoot, destIndex, destDepth), slot(srcRoot, srcIndex, srcDepth));
            return SysResult.OK;
        });
    }

    public SysResult cnodeDelete(long root, long index, int depth) {
        return run("CNode_Delete", () -> {
            k.cnodes.delete(self.name(), slot(root, index, depth));
            return SysResult.OK;
        });
    }

    /** seL4_CNode_Revoke: deletes every cap derived from the one at (root, index, depth). */
    public SysResult cnodeRevoke(long root, long index, int depth) {
        return run("CNode_Revoke", () -> {
            Slot s = slot(root, index, depth);
            int n = k.cnodes.revoke(self.name(), s);
            if (s.cap() != null && s.cap().object() instanceof Untyped u && s.children().isEmpty()) {
                u.setFreeOffset(0);
            }
            return new SysResult.Done(n);
        });
    }

    // ------------------------------------------------------------------ Untyped

    /**
     * seL4_Untyped_Retype: {@code count} objects of {@code type} into consecutive empty slots
     * starting at {@code nodeOffset} of the CNode at (root, nodeIndex, nodeDepth).
     */
    public SysResult untypedRetype(long untyped, ObjectType type, int userSize, long root, long nodeIndex, int nodeDepth,
                                   int nodeOffset, int count, String name) {
        return run("Untyped_Retype", () -> {
            Slot utSlot = Lookup.capSlot(self.cspaceRoot(), untyped);
            Cap utCap = utSlot.cap();
            if (utCap == null || !(utCap.object() instanceof Untyped ut)) {
                throw new KernelException(Sel4Error.INVALID_CAPABILITY, "Untyped_Retype on " + (utCap == null ? "an empty slot" : utCap) + ", not an untyped");
            }
            CNode dest = cnodeAt(root, nodeIndex, nodeDepth);
            if (nodeOffset < 0 || nodeOffset + count > dest.size()) {
                throw new KernelException(Sel4Error.RANGE_ERROR, "slots " + nodeOffset + ".." + (nodeOffset + count - 1) + " outside " + dest.name() + " (" + dest.size() + " slots)");
            }
            for (int i = 0; i < count; i++) {
                if (!dest.slot(nodeOffset + i).isEmpty()) {
                    throw new KernelException(Sel4Error.DELETE_FIRST, "destination slot " + dest.slot(nodeOffset + i) + " is not empty");
                }
            }
            List<KObject> objs = k.retype.carve(ut, type, userSize, count, name);
            for (int i = 0; i < count; i++) {
                k.place(dest.slot(nodeOffset + i), Cap.of(objs.get(i), Rights.ALL), utSlot);
            }
            return new SysResult.Done(count);
        });
    }

    // ------------------------------------------------------------------ IRQs

    /** seL4_IRQControl_Get: a handler cap for {@code irq} in the given slot; each IRQ only once. */
    public SysResult irqControlGet(long irqControl, int irq, long root, long index, int depth) {
        return run("IRQControl_Get", () -> {
            Cap c = cap(irqControl, "IRQControl_Get");
            if (!(c.object() instanceof IrqControl)) {
                throw new KernelException(Sel4Error.INVALID_CAPABILITY, "IRQControl_Get on " + c + ", not the IRQ control cap");
            }
            Slot dest = slot(root, index, depth);
            if (!dest.isEmpty()) {
                throw new KernelException(Sel4Error.DELETE_FIRST, "destination slot " + dest + " is not empty");
            }
            IrqHandler h = k.claimIrq(irq, self.name() + ".irq" + irq);
            k.place(dest, Cap.of(h, Rights.ALL), Lookup.capSlot(self.cspaceRoot(), irqControl));
            return SysResult.OK;
        });
    }

    /** seL4_IRQHandler_SetNotification: the IRQ will signal this notification with its badge. */
    public SysResult irqSetNotification(long handler, long ntfn) {
        return run("IRQHandler_SetNotification", () -> {
            IrqHandler h = irqHandler(handler);
            Cap n = cap(ntfn, "IRQHandler_SetNotification");
            if (!(n.object() instanceof Notification nt) || !n.rights().write()) {
                throw new KernelException(Sel4Error.INVALID_CAPABILITY, "IRQHandler_SetNotification needs a notification cap with Write, got " + n);
            }
            h.bind(nt, n.badge());
            return SysResult.OK;
        });
    }

    /** seL4_IRQHandler_Ack: unmask the line so the next interrupt is delivered. */
    public SysResult irqAck(long handler) {
        return run("IRQHandler_Ack", () -> {
            k.ackIrq(irqHandler(handler));
            return SysResult.OK;
        });
    }

    // ------------------------------------------------------------------ TCB

    /**
     * seL4_TCB_SetPriority: {@code authority} is a TCB cap whose maximum controlled priority
     * bounds the new priority (RangeError otherwise).
     */
    public SysResult tcbSetPriority(long tcb, long authority, int priority) {
        return run("TCB_SetPriority", () -> {
            Tcb target = tcbAt(tcb);
            Tcb auth = tcbAt(authority);
            if (priority < 0 || priority > 255 || priority > auth.maxPriority()) {
                throw new KernelException(Sel4Error.RANGE_ERROR, "priority " + priority + " above the authority's MCP " + auth.maxPriority());
            }
            target.setPriority(priority);
            return SysResult.OK;
        });
    }

    /** seL4_TCB_BindNotification: Recv on any endpoint also returns this notification's signals. */
    public SysResult tcbBindNotification(long tcb, long ntfn) {
        return run("TCB_BindNotification", () -> {
            Tcb target = tcbAt(tcb);
            Cap n = cap(ntfn, "TCB_BindNotification");
            if (!(n.object() instanceof Notification nt) || !n.rights().read()) {
                throw new KernelException(Sel4Error.INVALID_CAPABILITY, "TCB_BindNotification needs a notification cap with Read, got " + n);
            }
            if (target.boundNotification() != null || nt.boundTcb() != null) {
                throw new KernelException(Sel4Error.ILLEGAL_OPERATION, "thread or notification already bound");
            }
            target.setBoundNotification(nt);
            nt.setBoundTcb(target);
            return SysResult.OK;
        });
    }

    // ------------------------------------------------------------------ internals

    private SysResult sendOp(long cptr, Message msg, boolean blocking, boolean call, String op) {
        try {
            synchronized (k) {
                try {
                    if (!runnable()) {
                        return notRunning(op);
                    }
                    Slot s;
                    try {
                        s = Lookup.capSlot(self.cspaceRoot(), cptr);
                    } catch (KernelException e) {
                        return capFault(cptr, false, e.getMessage(), op);
                    }
                    Cap c = s.cap();
                    if (c == null) {
                        return capFault(cptr, false, "empty slot " + s, op);
                    }
                    if (!(c.object() instanceof Endpoint)) {
                        if (c.object() instanceof Notification n && !call && c.rights().write()) {
                            k.ipc.signal(n, c.badge(), self.name());
                            return SysResult.OK;
                        }
                        return deny(Sel4Error.INVALID_CAPABILITY, op + " on " + c + ", not an endpoint");
                    }
                    if (!c.rights().write()) {
                        return deny(Sel4Error.INVALID_CAPABILITY, op + " through " + c + " without Write right");
                    }
                    return k.ipc.send(self, c, msg, blocking, call);
                } finally {
                    k.drainOutboxTo(outbox);
                }
            }
        } finally {
            outbox.send();
        }
    }

    private SysResult recvOp(long cptr, boolean blocking, String op) {
        try {
            synchronized (k) {
                try {
                    if (!runnable()) {
                        return notRunning(op);
                    }
                    return recvInner(cptr, blocking, op);
                } finally {
                    k.drainOutboxTo(outbox);
                }
            }
        } finally {
            outbox.send();
        }
    }

    private SysResult recvInner(long cptr, boolean blocking, String op) {
        Slot s;
        try {
            s = Lookup.capSlot(self.cspaceRoot(), cptr);
        } catch (KernelException e) {
            return capFault(cptr, true, e.getMessage(), op);
        }
        Cap c = s.cap();
        if (c == null) {
            return capFault(cptr, true, "empty slot " + s, op);
        }
        if (!c.rights().read()) {
            return capFault(cptr, true, op + " through " + c + " without Read right", op);
        }
        return switch (c.object()) {
            case Endpoint e -> k.ipc.recv(self, c, blocking);
            case Notification n -> {
                if (n.boundTcb() != null && n.boundTcb() != self) {
                    yield capFault(cptr, true, "notification " + n.name() + " is bound to " + n.boundTcb().name(), op);
                }
                yield k.ipc.waitOn(self, n, blocking);
            }
            default -> capFault(cptr, true, op + " on " + c + ", not an endpoint or notification", op);
        };
    }

    private boolean runnable() {
        return self.state() == ThreadState.RUNNING;
    }

    private SysResult notRunning(String op) {
        String why = "thread " + self.name() + " is " + self.state() + (self.blockedOn() != null ? " on " + self.blockedOn().name() : "")
                + ": a blocked or suspended thread cannot make the system call " + op;
        k.trace(Kind.DENIED, self.name(), "-", why);
        return new SysResult.Error(Sel4Error.ILLEGAL_OPERATION, why);
    }

    private SysResult capFault(long cptr, boolean recvPhase, String why, String op) {
        k.trace(Kind.DENIED, self.name(), "-", op + " cap fault at CPtr 0x" + Long.toHexString(cptr) + ": " + why);
        return k.ipc.fault(self, new Fault.CapFault(cptr, recvPhase, why));
    }

    private SysResult deny(Sel4Error e, String why) {
        k.trace(Kind.DENIED, self.name(), "-", e.sel4Name() + ": " + why);
        return new SysResult.Error(e, why);
    }

    private SysResult run(String op, Supplier<SysResult> body) {
        try {
            synchronized (k) {
                try {
                    if (!runnable()) {
                        return notRunning(op);
                    }
                    try {
                        return body.get();
                    } catch (KernelException e) {
                        return deny(e.error(), op + ": " + e.getMessage());
                    }
                } finally {
                    k.drainOutboxTo(outbox);
                }
            }
        } finally {
            outbox.send();
        }
    }

    private Cap cap(long cptr, String op) {
        Slot s = Lookup.capSlot(self.cspaceRoot(), cptr);
        if (s.cap() == null) {
            throw new KernelException(Sel4Error.INVALID_CAPABILITY, op + ": slot " + s + " is empty");
        }
        return s.cap();
    }

    private Slot slot(long root, long index, int depth) {
        return Lookup.slot(cap(root, "CNode lookup"), index, depth);
    }

    private CNode cnodeAt(long root, long index, int depth) {
        Cap rootCap = cap(root, "CNode lookup");
        if (depth == 0) {
            if (rootCap.object() instanceof CNode c) {
                return c;
            }
            throw new KernelException(Sel4Error.INVALID_CAPABILITY, rootCap + " is not a CNode");
        }
        Slot s = Lookup.slot(rootCap, index, depth);
        if (s.cap() == null || !(s.cap().object() instanceof CNode c)) {
            throw new KernelException(Sel4Error.FAILED_LOOKUP, "slot " + s + " does not hold a CNode cap");
        }
        return c;
    }

    private IrqHandler irqHandler(long cptr) {
        Cap c = cap(cptr, "IRQHandler");
        if (!(c.object() instanceof IrqHandler h)) {
            throw new KernelException(Sel4Error.INVALID_CAPABILITY, c + " is not an IRQ handler cap");
        }
        return h;
    }

    private Tcb tcbAt(long cptr) {
        Cap c = cap(cptr, "TCB");
        if (!(c.object() instanceof Tcb t)) {
            throw new KernelException(Sel4Error.INVALID_CAPABILITY, c + " is not a TCB cap");
        }
        return t;
    }
}
