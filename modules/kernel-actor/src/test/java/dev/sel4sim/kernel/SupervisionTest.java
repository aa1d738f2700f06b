package dev.sel4sim.kernel;

import static org.junit.jupiter.api.Assertions.*;

import dev.sel4sim.kernel.actor.Supervision;
import dev.sel4sim.kernel.boot.CSpaceView;
import dev.sel4sim.kernel.cap.Rights;
import dev.sel4sim.kernel.ipc.KernelEvent;
import dev.sel4sim.kernel.ipc.Message;
import dev.sel4sim.kernel.objects.Endpoint;
import dev.sel4sim.kernel.objects.ThreadState;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class SupervisionTest {
    static final ActorTestKit kit = ActorTestKit.create();

    @AfterAll
    static void shutdown() {
        kit.shutdownTestKit();
    }

    @Test
    void crashWithRestartResetsTheThreadAndLeavesItsQueues() {
        try (Harness h = new Harness(kit, 1)) {
            Endpoint ep = h.loader.endpoint("ep");
            CSpaceView v = h.thread("srv", 10, 0);
            int e = h.loader.give(v, ep, Rights.READ, 0);
            TestProbe<KernelEvent> p = kit.createTestProbe();
            ActorRef<KernelEvent> ref = h.start(v, p.getRef(), Supervision.RESTART);
            assertEquals(0, p.expectMessageClass(KernelEvent.Started.class).incarnation());
            Harness.run(kit, ref, s -> s.recv(e));
            assertEquals(1, ep.queue().size());
            h.sim.crash("srv.tcb");
            assertEquals(1, p.expectMessageClass(KernelEvent.Started.class).incarnation());
            assertEquals(0, ep.queue().size(), "the restarted thread left the endpoint queue");
            assertEquals(ThreadState.RUNNING, v.tcb().state());
            assertEquals(SysResult.BLOCKED, Harness.run(kit, ref, s -> s.recv(e)));
        }
    }

    @Test
    void crashWithStopSuspendsAndKillStopsRegardlessOfPolicy() {
        try (Harness h = new Harness(kit, 1)) {
            CSpaceView a = h.thread("a", 10, 0);
            CSpaceView b = h.thread("b", 10, 0);
            TestProbe<KernelEvent> pa = kit.createTestProbe();
            TestProbe<KernelEvent> pb = kit.createTestProbe();
            ActorRef<KernelEvent> ra = h.start(a, pa.getRef(), Supervision.STOP);
            ActorRef<KernelEvent> rb = h.start(b, pb.getRef(), Supervision.RESTART);
            pa.expectMessageClass(KernelEvent.Started.class);
            pb.expectMessageClass(KernelEvent.Started.class);
            h.sim.crash("a.tcb");
            pa.expectTerminated(ra, Duration.ofSeconds(5));
            assertEquals(ThreadState.INACTIVE, a.tcb().state());
            h.sim.kill("b.tcb");
            pb.expectTerminated(rb, Duration.ofSeconds(5));
            assertEquals(ThreadState.INACTIVE, b.tcb().state());
            pb.expectNoMessage(Duration.ofMillis(100));
        }
    }

    @Test
    void escalateFailsTheSimulation() throws Exception {
        try (Harness h = new Harness(kit, 1)) {
            CSpaceView a = h.thread("critical", 10, 0);
            TestProbe<KernelEvent> p = kit.createTestProbe();
            h.start(a, p.getRef(), Supervision.ESCALATE);
            p.expectMessageClass(KernelEvent.Started.class);
            h.sim.crash("critical.tcb");
            String why = h.sim.escalation().get(5, TimeUnit.SECONDS);
            assertTrue(why.contains("critical.tcb") && why.contains("injected failure"), why);
        }
    }

    @Test
    void droppedAndDelayedDeliveries() {
        try (Harness h = new Harness(kit, 2)) {
            Endpoint ep = h.loader.endpoint("ep");
            CSpaceView s = h.thread("s", 10, 0);
            CSpaceView r = h.thread("r", 10, 1);
            int es = h.loader.give(s, ep, Rights.WRITE, 0);
            int er = h.loader.give(r, ep, Rights.READ, 0);
            TestProbe<KernelEvent> ps = kit.createTestProbe();
            TestProbe<KernelEvent> pr = kit.createTestProbe();
            ActorRef<KernelEvent> rs = h.start(s, ps.getRef(), Supervision.RESTART);
            ActorRef<KernelEvent> rr = h.start(r, pr.getRef(), Supervision.RESTART);
            ps.expectMessageClass(KernelEvent.Started.class);
            pr.expectMessageClass(KernelEvent.Started.class);

            h.sim.drop("r.tcb", 1);
            Harness.run(kit, rr, x -> x.recv(er));
            Harness.run(kit, rs, x -> x.send(es, Message.of(1)));
            pr.expectNoMessage(Duration.ofMillis(200));
            assertEquals(1, h.kernel.droppedDeliveries(r.tcb()));

            h.sim.delay("r.tcb", 5_000_000);
            long before = h.kernel.timeline().nowNs();
            Harness.run(kit, rr, x -> x.recv(er));
            Harness.run(kit, rs, x -> x.send(es, Message.of(2)));
            assertEquals(2, pr.expectMessageClass(KernelEvent.IpcReceived.class).message().label());
            assertTrue(h.kernel.timeline().nowNs() - before >= 5_000_000, "delivery waited 5 ms of simulated time");
        }
    }
}
