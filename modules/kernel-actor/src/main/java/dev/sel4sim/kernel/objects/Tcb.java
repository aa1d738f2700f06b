package dev.sel4sim.kernel.objects;

import dev.sel4sim.kernel.cap.Cap;
import dev.sel4sim.kernel.ipc.Fault;
import dev.sel4sim.kernel.ipc.KernelEvent;
import dev.sel4sim.kernel.ipc.Message;
import java.util.function.Consumer;

/**
 * A thread control block. The thread's behaviour runs in an actor; the TCB holds what the kernel
 * knows of it: its CSpace root, priority, state, what it is blocked on and where its events go.
 */
public final class Tcb extends KObject {
    private Cap cspaceRoot;
    private Cap faultHandler;
    private int priority;
    private int maxPriority = 255;
    private int core;
    private ThreadState state = ThreadState.INACTIVE;
    private KObject blockedOn;
    private Notification boundNotification;
    private SchedContext schedContext;
    private Vcpu vcpu;
    private Consumer<KernelEvent> inbox;

    // Blocked-on-send bookkeeping: what we are trying to send.
    private Message pendingMessage;
    private long pendingBadge;
    private boolean pendingCall;
    private boolean pendingGrant;
    private boolean pendingGrantReply;
    private Fault pendingFault;

    // Non-MCS reply capability: the thread that called us and waits for our reply.
    private Tcb caller;
    private boolean callerCanGrant;
    // While blocked on reply: the thread we wait on (to cancel when it dies).
    private Tcb replyFrom;
    private Fault faultAwaitingReply;

    // Receive slot for transferred caps: a CPtr in the thread's own CSpace, or -1 for none.
    private long receiveSlot = -1;

    public Tcb(String name, long paddr, int sizeBits) {
        super(name, paddr, sizeBits);
    }

    @Override
    public ObjectType type() {
        return ObjectType.TCB;
    }

    public Cap cspaceRoot() { return cspaceRoot; }
    public void setCspaceRoot(Cap c) { cspaceRoot = c; }
    public Cap faultHandler() { return faultHandler; }
    public void setFaultHandler(Cap c) { faultHandler = c; }
    public int priority() { return priority; }
    public void setPriority(int p) { priority = p; }
    public int maxPriority() { return maxPriority; }
    public void setMaxPriority(int p) { maxPriority = p; }
    public int core() { return core; }
    public void setCore(int c) { core = c; }
    public ThreadState state() { return state; }
    public KObject blockedOn() { return blockedOn; }
    public Notification boundNotification() { return boundNotification; }
    public void setBoundNotification(Notification n) { boundNotification = n; }
    public SchedContext schedContext() { return schedContext; }
    public void setSchedContext(SchedContext sc) { schedContext = sc; }
    public Vcpu vcpu() { return vcpu; }
    public void setVcpu(Vcpu v) { vcpu = v; }
    public Consumer<KernelEvent> inbox() { return inbox; }
    public void setInbox(Consumer<KernelEvent> i) { inbox = i; }
    public long receiveSlot() { return receiveSlot; }
    public void setReceiveSlot(long cptr) { receiveSlot = cptr; }

    public void block(ThreadState s, KObject on) {
        state = s;
        blockedOn = on;
    }

    public void run() {
        state = ThreadState.RUNNING;
        blockedOn = null;
    }

    public void setInactive() {
        state = ThreadState.INACTIVE;
        blockedOn = null;
    }

    public void setPendingSend(Message m, long badge, boolean call, boolean grant, boolean grantReply, Fault fault) {
        pendingMessage = m;
        pendingBadge = badge;
        pendingCall = call;
        pendingGrant = grant;
        pendingGrantReply = grantReply;
        pendingFault = fault;
    }

    public Message pendingMessage() { return pendingMessage; }
    public long pendingBadge() { return pendingBadge; }
    public boolean pendingCall() { return pendingCall; }
    public boolean pendingGrant() { return pendingGrant; }
    public boolean pendingGrantReply() { return pendingGrantReply; }
    public Fault pendingFault() { return pendingFault; }

    public Tcb caller() { return caller; }
    public boolean callerCanGrant() { return callerCanGrant; }
    public void setCaller(Tcb t, boolean canGrant) { caller = t; callerCanGrant = canGrant; }
    public Tcb replyFrom() { return replyFrom; }
    public void setReplyFrom(Tcb t) { replyFrom = t; }
    public Fault faultAwaitingReply() { return faultAwaitingReply; }
    public void setFaultAwaitingReply(Fault f) { faultAwaitingReply = f; }
}
