package dev.sel4sim.kernel;

import dev.sel4sim.kernel.cap.Cap;
import dev.sel4sim.kernel.cap.Lookup;
import dev.sel4sim.kernel.cap.Slot;
import dev.sel4sim.kernel.ipc.Fault;
import dev.sel4sim.kernel.ipc.KernelEvent;
import dev.sel4sim.kernel.ipc.Message;
import dev.sel4sim.kernel.objects.Endpoint;
import dev.sel4sim.kernel.objects.KObject;
import dev.sel4sim.kernel.objects.Notification;
import dev.sel4sim.kernel.objects.Tcb;
import dev.sel4sim.kernel.objects.ThreadState;
import dev.sel4sim.kernel.trace.TraceEvent.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * Endpoint and notification semantics (seL4 manual chapter 4, non-MCS reply model): rendezvous on
 * endpoints with FIFO queues, one-shot reply capabilities for Call, badges OR-ed on notifications,
 * capability transfer with Grant. Always called under the kernel lock.
 */
final class IpcOps {
    private static final long[] NO_BADGES = new long[0];
    private final Kernel k;

    IpcOps(Kernel k) {
        this.k = k;
    }

    // ------------------------------------------------------------------ endpoints

    SysResult send(Tcb sender, Cap epCap, Message msg, boolean blocking, boolean call) {
        Endpoint ep = (Endpoint) epCap.object();
        boolean grant = epCap.rights().grant();
        boolean grantReply = epCap.rights().grantReply();
        if (ep.state() == Endpoint.State.RECV) {
            Tcb dest = ep.dequeue();
            transfer(sender, dest, ep, msg, epCap.badge(), call, grant, null);
            if (call) {
                return blockForReply(sender, dest, grant || grantReply, grant, null);
            }
            return SysResult.OK;
        }
        if (!blocking) {
            k.trace(Kind.SEND, sender.name(), ep.name(), "NBSend dropped: no receiver waiting");
            return SysResult.OK;
        }
        sender.setPendingSend(msg, epCap.badge(), call, grant, grantReply, null);
        sender.block(ThreadState.BLOCKED_ON_SEND, ep);
        ep.enqueue(sender, Endpoint.State.SEND);
        if (k.tracing()) {
            k.trace(call ? Kind.CALL : Kind.SEND, sender.name(), ep.name(), "queued, no receiver yet");
        }
        return SysResult.BLOCKED;
    }

    /** Receive on an endpoint; a bound active notification is taken first, as in seL4. */
    SysResult recv(Tcb receiver, Cap epCap, boolean blocking) {
        Endpoint ep = (Endpoint) epCap.object();
        Notification bound = receiver.boundNotification();
        if (bound != null && bound.active()) {
            KernelEvent ev = new KernelEvent.NotificationReceived(bound.take());
            return complete(receiver, ev, blocking);
        }
        if (ep.state() == Endpoint.State.SEND) {
            Tcb sender = ep.dequeue();
            Fault fault = sender.pendingFault();
            boolean call = sender.pendingCall();
            boolean canGrant = sender.pendingGrant();
            boolean canReply = canGrant || sender.pendingGrantReply();
            KernelEvent ev = buildReceive(sender, receiver, ep, sender.pendingMessage(), sender.pendingBadge(),
                    call || fault != null, canGrant, fault);
            sender.setPendingSend(null, 0, false, false, false, null);
            if (call || fault != null) {
                blockForReply(sender, receiver, canReply || fault != null, canGrant, fault);
            } else {
                sender.run();
                k.deliver(sender, new KernelEvent.SendCompleted());
            }
            return complete(receiver, ev, blocking);
        }
        if (!blocking) {
            return SysResult.OK;
        }
        receiver.block(ThreadState.BLOCKED_ON_RECV, ep);
        ep.enqueue(receiver, Endpoint.State.RECV);
        return SysResult.BLOCKED;
    }

    /** Replies to the thread that called us, if any (seL4 ignores a reply without a caller). */
    void reply(Tcb replier, Message msg) {
        Tcb caller = replier.caller();
        if (caller == null) {
            k.trace(Kind.REPLY, replier.name(), "-", "no caller to reply to");
            return;
        }
        boolean canGrant = replier.callerCanGrant();
        replier.setCaller(null, false);
        if (caller.state() != ThreadState.BLOCKED_ON_REPLY) {
            return;
        }
        Fault fault = caller.faultAwaitingReply();
        caller.setFaultAwaitingReply(null);
        caller.setReplyFrom(null);
        caller.run();
        if (k.tracing()) {
            k.trace(Kind.REPLY, replier.name(), caller.name(), fault != null ? "fault resolved" : "label " + msg.label());
        }
        if (fault != null) {
            k.deliver(caller, new KernelEvent.FaultResolved(fault, msg));
        } else {
            if (canGrant && msg.caps().length > 0) {
                transferCaps(replier, caller, null, msg);
            }
            k.deliver(caller, new KernelEvent.ReplyReceived(msg));
        }
    }

    private SysResult blockForReply(Tcb caller, Tcb callee, boolean canReply, boolean canGrant, Fault fault) {
        if (!canReply) {
            // seL4: a Call through a cap without Grant or GrantReply leaves the caller inactive.
            caller.setInactive();
            k.trace(Kind.DENIED, caller.name(), callee.name(),
                    "Call through an endpoint cap without Grant/GrantReply: caller made inactive, no reply possible");
            return SysResult.BLOCKED;
        }
        callee.setCaller(caller, canGrant);
        caller.setReplyFrom(callee);
        caller.setFaultAwaitingReply(fault);
        caller.block(ThreadState.BLOCKED_ON_REPLY, callee);
        return SysResult.BLOCKED;
    }

    private void transfer(Tcb sender, Tcb dest, Endpoint ep, Message msg, long badge, boolean call, boolean grant, Fault fault) {
        KernelEvent ev = buildReceive(sender, dest, ep, msg, badge, call, grant, fault);
        dest.run();
        k.deliver(dest, ev);
    }

    private KernelEvent buildReceive(Tcb sender, Tcb dest, Endpoint ep, Message msg, long badge, boolean call,
                                     boolean grant, Fault fault) {
        if (fault != null) {
            if (k.tracing()) {
                k.trace(Kind.FAULT, sender.name(), dest.name(), fault.toString());
            }
            return new KernelEvent.FaultReceived(badge, sender.name(), fault);
        }
        if (k.tracing()) {
            k.trace(call ? Kind.CALL : Kind.SEND, sender.name(), dest.name(),
                    "via " + ep.name() + " badge 0x" + Long.toHexString(badge) + " label " + msg.label() + " len " + msg.words().length);
        }
        int caps = 0;
        long[] unwrapped = NO_BADGES;
        if (msg.caps().length > 0) {
            if (grant) {
                long[] result = transferCaps(sender, dest, ep, msg);
                caps = (int) result[0];
                unwrapped = java.util.Arrays.copyOfRange(result, 1, result.length);
            } else {
                k.trace(Kind.DENIED, sender.name(), dest.name(), "caps not transferred: endpoint cap lacks Grant");
            }
        }
        return new KernelEvent.IpcReceived(badge, msg, call, caps, unwrapped);
    }

    /**
     * Transfers the message's caps: a badged cap to the endpoint itself is unwrapped (its badge
     * delivered), the first other cap goes to the receiver's receive slot; a lookup failure or a
     * second cap needing a slot ends the transfer (seL4's transferCaps). Returns {count, badges...}.
     */
    private long[] transferCaps(Tcb sender, Tcb dest, Endpoint ep, Message msg) {
        List<Long> badges = new ArrayList<>();
        int count = 0;
        boolean slotUsed = false;
        for (long cptr : msg.caps()) {
            Slot src;
            try {
                src = Lookup.capSlot(sender.cspaceRoot(), cptr);
            } catch (KernelException e) {
                break;
            }
            Cap cap = src.cap();
            if (cap == null) {
                break;
            }
            if (ep != null && cap.object() == ep && cap.badge() != 0) {
                badges.add(cap.badge());
                count++;
                continue;
            }
            if (slotUsed || dest.receiveSlot() < 0) {
                break;
            }
            Slot dst;
            try {
                dst = Lookup.capSlot(dest.cspaceRoot(), dest.receiveSlot());
            } catch (KernelException e) {
                break;
            }
            if (!dst.isEmpty()) {
                break;
            }
            k.place(dst, cap, src);
            slotUsed = true;
            count++;
            k.trace(Kind.CAP_OP, sender.name(), dest.name(), "transferred " + cap + " to " + dst);
        }
        long[] out = new long[1 + badges.size()];
        out[0] = count;
        for (int i = 0; i < badges.size(); i++) {
            out[i + 1] = badges.get(i);
        }
        return out;
    }

    /** Delivers an immediately available result as the thread's next event (or returns it for NB calls). */
    private SysResult complete(Tcb t, KernelEvent ev, boolean blocking) {
        t.run();
        if (blocking) {
            k.deliver(t, ev);
            return SysResult.BLOCKED;
        }
        return new SysResult.Delivered(ev);
    }

    // ------------------------------------------------------------------ faults

    /** Raises a fault for a thread: fault IPC to its handler, or suspension when it has none. */
    SysResult fault(Tcb t, Fault fault) {
        Cap handler = t.faultHandler();
        if (handler == null || !(handler.object() instanceof Endpoint ep)
                || !handler.rights().write() || !(handler.rights().grant() || handler.rights().grantReply())) {
            t.setInactive();
            k.trace(Kind.FAULT, t.name(), "-", fault + ": no fault handler, thread suspended");
            return new SysResult.Faulted(fault, false);
        }
        if (ep.state() == Endpoint.State.RECV) {
            Tcb dest = ep.dequeue();
            transfer(t, dest, ep, Message.EMPTY, handler.badge(), true, false, fault);
            blockForReply(t, dest, true, false, fault);
        } else {
            t.setPendingSend(Message.EMPTY, handler.badge(), true, false, true, fault);
            t.block(ThreadState.BLOCKED_ON_SEND, ep);
            ep.enqueue(t, Endpoint.State.SEND);
            k.trace(Kind.FAULT, t.name(), ep.name(), fault + ": queued for the fault handler");
        }
        return new SysResult.Faulted(fault, true);
    }

    // ------------------------------------------------------------------ notifications

    void signal(Notification n, long badge, String from) {
        if (k.tracing()) {
            k.trace(Kind.SIGNAL, from, n.name(), "badge 0x" + Long.toHexString(badge));
        }
        Tcb waiter = n.waiters().pollFirst();
        if (waiter != null) {
            waiter.run();
            k.deliver(waiter, new KernelEvent.NotificationReceived(badge));
            return;
        }
        Tcb bound = n.boundTcb();
        if (bound != null && bound.state() == ThreadState.BLOCKED_ON_RECV && bound.blockedOn() instanceof Endpoint ep) {
            ep.remove(bound);
            bound.run();
            k.deliver(bound, new KernelEvent.NotificationReceived(badge));
            return;
        }
        n.accumulate(badge);
    }

    SysResult waitOn(Tcb t, Notification n, boolean blocking) {
        if (n.active()) {
            return complete(t, new KernelEvent.NotificationReceived(n.take()), blocking);
        }
        if (!blocking) {
            return SysResult.OK;
        }
        t.block(ThreadState.BLOCKED_ON_NOTIFICATION, n);
        n.waiters().addLast(t);
        return SysResult.BLOCKED;
    }

    // ------------------------------------------------------------------ cancellation

    /** Takes a thread out of whatever it is blocked on (suspend, restart, death). */
    void cancel(Tcb t, String why) {
        KObject on = t.blockedOn();
        switch (t.state()) {
            case BLOCKED_ON_SEND, BLOCKED_ON_RECV -> {
                if (on instanceof Endpoint ep) {
                    ep.remove(t);
                }
            }
            case BLOCKED_ON_NOTIFICATION -> {
                if (on instanceof Notification n) {
                    n.waiters().remove(t);
                }
            }
            case BLOCKED_ON_REPLY -> {
                Tcb callee = t.replyFrom();
                if (callee != null && callee.caller() == t) {
                    callee.setCaller(null, false);
                }
            }
            default -> { }
        }
        t.setPendingSend(null, 0, false, false, false, null);
        t.setReplyFrom(null);
        t.setFaultAwaitingReply(null);
        // A caller waiting for this thread's reply keeps waiting, as in seL4: the reply cap is gone.
        Tcb caller = t.caller();
        if (caller != null) {
            k.trace(Kind.LIFECYCLE, t.name(), caller.name(), "reply capability lost (" + why + "): caller stays blocked");
            t.setCaller(null, false);
        }
        if (t.state() != ThreadState.INACTIVE) {
            t.run();
        }
    }

    /** The endpoint is gone: every queued thread is released with a cancellation. */
    void cancelAll(Endpoint ep, String why) {
        Tcb t;
        while ((t = ep.dequeue()) != null) {
            t.setPendingSend(null, 0, false, false, false, null);
            t.run();
            k.deliver(t, new KernelEvent.Cancelled(why));
        }
    }

    void cancelAll(Notification n, String why) {
        Tcb t;
        while ((t = n.waiters().pollFirst()) != null) {
            t.run();
            k.deliver(t, new KernelEvent.Cancelled(why));
        }
        if (n.boundTcb() != null) {
            n.boundTcb().setBoundNotification(null);
            n.setBoundTcb(null);
        }
    }
}
