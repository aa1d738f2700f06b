package dev.sel4sim.kernel;

import static org.junit.jupiter.api.Assertions.*;

import dev.sel4sim.kernel.actor.Supervision;
import dev.sel4sim.kernel.boot.CSpaceView;
import dev.sel4sim.kernel.cap.Rights;
import dev.sel4sim.kernel.ipc.Fault;
import dev.sel4sim.kernel.ipc.KernelEvent;
import dev.sel4sim.kernel.ipc.Message;
import dev.sel4sim.kernel.objects.Endpoint;
import dev.sel4sim.kernel.objects.Notification;
import dev.sel4sim.kernel.objects.ThreadState;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IpcTest {
    static final ActorTestKit kit = ActorTestKit.create();
    Harness h;

    @BeforeEach
    void setUp() {
        h = new Harness(kit, 2);
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    @AfterAll
    static void shutdown() {
        kit.shutdownTestKit();
    }

    private record Thread(CSpaceView view, ActorRef<KernelEvent> ref, TestProbe<KernelEvent> events) {}

    private Thread start(String name, int prio, int core) {
        CSpaceView v = h.thread(name, prio, core);
        TestProbe<KernelEvent> p = kit.createTestProbe();
        ActorRef<KernelEvent> ref = h.start(v, p.getRef(), Supervision.RESTART);
        p.expectMessageClass(KernelEvent.Started.class);
        return new Thread(v, ref, p);
    }

    @Test
    void callAndReplyRecvDeliverBadgeAndReply() {
        Endpoint ep = h.loader.endpoint("rpc");
        Thread server = start("server", 100, 0);
        Thread client = start("client", 50, 1);
        int sEp = h.loader.give(server.view, ep, Rights.RW, 0);
        int cEp = h.loader.give(client.view, ep, new Rights(false, true, true, true), 0x42);

        assertInstanceOf(SysResult.Blocked.class, Harness.run(kit, server.ref, s -> s.recv(sEp)));
        assertEquals(ThreadState.BLOCKED_ON_RECV, server.view.tcb().state());
        assertInstanceOf(SysResult.Blocked.class, Harness.run(kit, client.ref, s -> s.call(cEp, Message.of(7, 1, 2, 3))));

        var got = server.events.expectMessageClass(KernelEvent.IpcReceived.class);
        assertEquals(0x42, got.badge());
        assertTrue(got.call());
        assertEquals(Message.of(7, 1, 2, 3), got.message());
        assertEquals(ThreadState.BLOCKED_ON_REPLY, client.view.tcb().state());

        Harness.run(kit, server.ref, s -> s.replyRecv(sEp, Message.of(0, 6)));
        var reply = client.events.expectMessageClass(KernelEvent.ReplyReceived.class);
        assertEquals(6, reply.message().word(0));
        assertEquals(ThreadState.RUNNING, client.view.tcb().state());
        assertEquals(ThreadState.BLOCKED_ON_RECV, server.view.tcb().state());
    }

    @Test
    void sendWithoutWriteRightIsRefusedWithInvalidCapability() {
        Endpoint ep = h.loader.endpoint("ro");
        Thread server = start("server", 100, 0);
        Thread client = start("client", 50, 0);
        int sEp = h.loader.give(server.view, ep, Rights.RW, 0);
        int cEp = h.loader.give(client.view, ep, Rights.READ, 0);
        Harness.run(kit, server.ref, s -> s.recv(sEp));
        SysResult r = Harness.run(kit, client.ref, s -> s.send(cEp, Message.of(1)));
        assertEquals(Sel4Error.INVALID_CAPABILITY, r.error());
        assertTrue(((SysResult.Error) r).detail().contains("without Write"), r.toString());
        server.events.expectNoMessage(Duration.ofMillis(100));
        assertEquals(ThreadState.RUNNING, client.view.tcb().state());
    }

    @Test
    void callingARevokedCapIsACapFaultDeliveredToTheFaultHandler() {
        Endpoint ep = h.loader.endpoint("svc");
        Endpoint faults = h.loader.endpoint("faults");
        Thread server = start("server", 100, 0);
        Thread client = start("client", 50, 0);
        Thread handler = start("handler", 200, 1);
        int sEp = h.loader.give(server.view, ep, Rights.RW, 0);
        int cEp = h.loader.give(client.view, ep, Rights.ALL, 1);
        int hEp = h.loader.give(handler.view, faults, Rights.RW, 0);
        h.loader.faultHandler(client.view, faults, 0x99);
        Harness.run(kit, handler.ref, s -> s.recv(hEp));

        h.loader.revokeAll(ep);
        assertNull(client.view.capAt(cEp), "revoke removed the client's derived cap");
        assertNull(server.view.capAt(sEp));

        SysResult r = Harness.run(kit, client.ref, s -> s.call(cEp, Message.of(1)));
        var faulted = assertInstanceOf(SysResult.Faulted.class, r);
        assertTrue(faulted.deliveredToHandler());
        var f = handler.events.expectMessageClass(KernelEvent.FaultReceived.class);
        assertEquals(0x99, f.badge());
        assertEquals("client.tcb", f.thread());
        var cf = assertInstanceOf(Fault.CapFault.class, f.fault());
        assertEquals(cEp, cf.cptr());
        assertEquals(ThreadState.BLOCKED_ON_REPLY, client.view.tcb().state());

        Harness.run(kit, handler.ref, s -> s.reply(Message.EMPTY));
        var resolved = client.events.expectMessageClass(KernelEvent.FaultResolved.class);
        assertInstanceOf(Fault.CapFault.class, resolved.fault());
    }

    @Test
    void faultWithoutHandlerSuspendsTheThread() {
        Thread t = start("lonely", 10, 0);
        SysResult r = Harness.run(kit, t.ref, s -> s.call(40, Message.of(1)));
        var f = assertInstanceOf(SysResult.Faulted.class, r);
        assertFalse(f.deliveredToHandler());
        assertEquals(ThreadState.INACTIVE, t.view.tcb().state());
        // A suspended thread cannot make system calls.
        assertEquals(Sel4Error.ILLEGAL_OPERATION, Harness.run(kit, t.ref, s -> s.poll(1)).error());
    }

    @Test
    void unknownSyscallFaultReachesTheFaultEndpointAndTheReplyResumes() {
        Endpoint faults = h.loader.endpoint("faults");
        Thread vmm = start("vmm", 200, 0);
        Thread guest = start("guest", 100, 1);
        int vEp = h.loader.give(vmm.view, faults, Rights.RW, 0);
        h.loader.faultHandler(guest.view, faults, 7);
        // The fault is raised before the handler waits: it queues on the endpoint.
        var r = Harness.run(kit, guest.ref, s -> s.raiseFault(new Fault.UnknownSyscall(0x1234)));
        assertInstanceOf(SysResult.Faulted.class, r);
        assertEquals(ThreadState.BLOCKED_ON_SEND, guest.view.tcb().state());
        Harness.run(kit, vmm.ref, s -> s.recv(vEp));
        var f = vmm.events.expectMessageClass(KernelEvent.FaultReceived.class);
        assertEquals(new Fault.UnknownSyscall(0x1234), f.fault());
        assertEquals(7, f.badge());
        Harness.run(kit, vmm.ref, s -> s.replyRecv(vEp, Message.of(0, 99)));
        var res = guest.events.expectMessageClass(KernelEvent.FaultResolved.class);
        assertEquals(99, res.reply().word(0));
    }

    @Test
    void threeSignalsOrTheirBadges() {
        Notification n = h.loader.notification("ntfn");
        Thread a = start("a", 10, 0);
        Thread waiter = start("w", 10, 1);
        int s1 = h.loader.give(a.view, n, Rights.WRITE, 0b001);
        int s2 = h.loader.give(a.view, n, Rights.WRITE, 0b010);
        int s3 = h.loader.give(a.view, n, Rights.WRITE, 0b100);
        int w = h.loader.give(waiter.view, n, Rights.READ, 0);
        for (int s : new int[]{s1, s2, s3}) {
            assertEquals(SysResult.OK, Harness.run(kit, a.ref, sys -> sys.signal(s)));
        }
        Harness.run(kit, waiter.ref, sys -> sys.waitFor(w));
        assertEquals(0b111, waiter.events.expectMessageClass(KernelEvent.NotificationReceived.class).badge());
        // Now idle: poll sees nothing, a later signal wakes a blocked waiter with just its badge.
        assertEquals(new SysResult.Done(0), Harness.run(kit, waiter.ref, sys -> sys.poll(w)));
        Harness.run(kit, waiter.ref, sys -> sys.waitFor(w));
        Harness.run(kit, a.ref, sys -> sys.signal(s2));
        assertEquals(0b010, waiter.events.expectMessageClass(KernelEvent.NotificationReceived.class).badge());
    }

    @Test
    void signalWithoutWriteAndWaitWithoutReadAreDenied() {
        Notification n = h.loader.notification("ntfn");
        Thread t = start("t", 10, 0);
        int ro = h.loader.give(t.view, n, Rights.READ, 1);
        int wo = h.loader.give(t.view, n, Rights.WRITE, 1);
        assertEquals(Sel4Error.INVALID_CAPABILITY, Harness.run(kit, t.ref, s -> s.signal(ro)).error());
        assertInstanceOf(SysResult.Faulted.class, Harness.run(kit, t.ref, s -> s.waitFor(wo)));
    }

    @Test
    void sendersQueueFifoAndPlainSendCompletes() {
        Endpoint ep = h.loader.endpoint("q");
        Thread s1 = start("s1", 10, 0);
        Thread s2 = start("s2", 10, 0);
        Thread r = start("r", 10, 1);
        int e1 = h.loader.give(s1.view, ep, Rights.WRITE, 1);
        int e2 = h.loader.give(s2.view, ep, Rights.WRITE, 2);
        int er = h.loader.give(r.view, ep, Rights.READ, 0);
        assertInstanceOf(SysResult.Blocked.class, Harness.run(kit, s1.ref, s -> s.send(e1, Message.of(1))));
        assertInstanceOf(SysResult.Blocked.class, Harness.run(kit, s2.ref, s -> s.send(e2, Message.of(2))));
        Harness.run(kit, r.ref, s -> s.recv(er));
        assertEquals(1, r.events.expectMessageClass(KernelEvent.IpcReceived.class).badge());
        s1.events.expectMessageClass(KernelEvent.SendCompleted.class);
        Harness.run(kit, r.ref, s -> s.recv(er));
        assertEquals(2, r.events.expectMessageClass(KernelEvent.IpcReceived.class).badge());
        s2.events.expectMessageClass(KernelEvent.SendCompleted.class);
    }

    @Test
    void nonBlockingVariantsNeverBlock() {
        Endpoint ep = h.loader.endpoint("nb");
        Thread s = start("s", 10, 0);
        Thread r = start("r", 10, 1);
        int es = h.loader.give(s.view, ep, Rights.WRITE, 5);
        int er = h.loader.give(r.view, ep, Rights.READ, 0);
        assertEquals(SysResult.OK, Harness.run(kit, s.ref, sys -> sys.nbSend(es, Message.of(1))));
        assertEquals(SysResult.OK, Harness.run(kit, r.ref, sys -> sys.nbRecv(er)), "the NBSend was dropped");
        Harness.run(kit, s.ref, sys -> sys.send(es, Message.of(3)));
        var d = assertInstanceOf(SysResult.Delivered.class, Harness.run(kit, r.ref, sys -> sys.nbRecv(er)));
        assertEquals(5, ((KernelEvent.IpcReceived) d.event()).badge());
    }

    @Test
    void grantTransfersACapAndItsAbsenceDoesNot() {
        Endpoint ep = h.loader.endpoint("ep");
        Notification gift = h.loader.notification("gift");
        Thread s = start("s", 10, 0);
        Thread r = start("r", 10, 1);
        int withGrant = h.loader.give(s.view, ep, Rights.ALL, 0);
        int noGrant = h.loader.give(s.view, ep, Rights.WRITE, 0);
        int g = h.loader.give(s.view, gift, Rights.WRITE, 3);
        int er = h.loader.give(r.view, ep, Rights.READ, 0);
        int recvSlot = 40;
        r.ref.tell(new Harness.Do(sys -> { sys.setReceiveSlot(recvSlot); return SysResult.OK; }, kit.<SysResult>createTestProbe().getRef()));

        Harness.run(kit, r.ref, sys -> sys.recv(er));
        Harness.run(kit, s.ref, sys -> sys.send(noGrant, Message.of(1).withCaps(g)));
        assertEquals(0, r.events.expectMessageClass(KernelEvent.IpcReceived.class).capsTransferred());
        assertNull(r.view.capAt(recvSlot));

        Harness.run(kit, r.ref, sys -> sys.recv(er));
        Harness.run(kit, s.ref, sys -> sys.send(withGrant, Message.of(1).withCaps(g)));
        assertEquals(1, r.events.expectMessageClass(KernelEvent.IpcReceived.class).capsTransferred());
        assertSame(gift, r.view.capAt(recvSlot).object());
        assertEquals(3, r.view.capAt(recvSlot).badge());
        // The receiver can use the transferred cap.
        Harness.run(kit, r.ref, sys -> sys.signal(recvSlot));
        assertEquals(3, gift.word());
    }

    @Test
    void boundNotificationWakesAThreadBlockedOnAnEndpoint() {
        Endpoint ep = h.loader.endpoint("ep");
        Notification n = h.loader.notification("n");
        Thread t = start("t", 10, 0);
        Thread sig = start("sig", 10, 1);
        int e = h.loader.give(t.view, ep, Rights.READ, 0);
        int nn = h.loader.give(t.view, n, Rights.READ, 0);
        int ns = h.loader.give(sig.view, n, Rights.WRITE, 8);
        assertEquals(SysResult.OK, Harness.run(kit, t.ref, s -> s.tcbBindNotification(CSpaceView.TCB_SLOT, nn)));
        Harness.run(kit, t.ref, s -> s.recv(e));
        Harness.run(kit, sig.ref, s -> s.signal(ns));
        assertEquals(8, t.events.expectMessageClass(KernelEvent.NotificationReceived.class).badge());
    }

    @Test
    void deletingAnEndpointCancelsItsWaiters() {
        Endpoint ep = h.loader.endpoint("doomed");
        Thread r = start("r", 10, 0);
        int e = h.loader.give(r.view, ep, Rights.READ, 0);
        Harness.run(kit, r.ref, s -> s.recv(e));
        assertEquals(SysResult.OK, Harness.run(kit, r.ref, s -> SysResult.OK));
        synchronized (h.kernel) {
            h.kernel.deleteTree(h.loader.original(ep));
        }
        var c = r.events.expectMessageClass(KernelEvent.Cancelled.class);
        assertTrue(c.reason().contains("doomed"));
    }

    @Test
    void aBlockedThreadCannotMakeSystemCalls() {
        Endpoint ep = h.loader.endpoint("ep");
        Thread r = start("r", 10, 0);
        int e = h.loader.give(r.view, ep, Rights.READ, 0);
        Harness.run(kit, r.ref, s -> s.recv(e));
        SysResult again = Harness.run(kit, r.ref, s -> s.recv(e));
        assertEquals(Sel4Error.ILLEGAL_OPERATION, again.error());
        assertTrue(((SysResult.Error) again).detail().contains("BLOCKED_ON_RECV"));
    }
}
