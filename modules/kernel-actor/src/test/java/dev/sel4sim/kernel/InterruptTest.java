package dev.sel4sim.kernel;

import static org.junit.jupiter.api.Assertions.*;

import dev.sel4sim.kernel.actor.Supervision;
import dev.sel4sim.kernel.boot.CSpaceView;
import dev.sel4sim.kernel.cap.Rights;
import dev.sel4sim.kernel.ipc.KernelEvent;
import dev.sel4sim.kernel.objects.IrqHandler;
import dev.sel4sim.kernel.objects.Notification;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class InterruptTest {
    static final ActorTestKit kit = ActorTestKit.create();

    @AfterAll
    static void shutdown() {
        kit.shutdownTestKit();
    }

    @Test
    void irqSignalsTheBoundNotificationAndStaysMaskedUntilAck() {
        try (Harness h = new Harness(kit, 1)) {
            Notification n = h.loader.notification("timer.ntfn");
            IrqHandler irq = h.loader.irq(33, n, 1 << 3);
            CSpaceView v = h.thread("driver", 50, 0);
            int nn = h.loader.give(v, n, Rights.READ, 0);
            int hh = h.loader.give(v, irq, Rights.ALL, 0);
            TestProbe<KernelEvent> p = kit.createTestProbe();
            ActorRef<KernelEvent> ref = h.start(v, p.getRef(), Supervision.RESTART);
            p.expectMessageClass(KernelEvent.Started.class);

            Harness.run(kit, ref, s -> s.waitFor(nn));
            h.kernel.raiseIrq(33);
            assertEquals(8, p.expectMessageClass(KernelEvent.NotificationReceived.class).badge());
            // Not yet acknowledged: further edges are latched once, nothing is signalled.
            h.kernel.raiseIrq(33);
            h.kernel.raiseIrq(33);
            assertTrue(irq.latched());
            assertEquals(new SysResult.Done(0), Harness.run(kit, ref, s -> s.poll(nn)));
            assertEquals(SysResult.OK, Harness.run(kit, ref, s -> s.irqAck(hh)));
            assertFalse(irq.latched());
            Harness.run(kit, ref, s -> s.waitFor(nn));
            assertEquals(8, p.expectMessageClass(KernelEvent.NotificationReceived.class).badge());
            p.expectNoMessage(Duration.ofMillis(100));
            assertEquals(2, irq.delivered());
        }
    }

    @Test
    void irqControlHandsOutEachLineOnce() {
        try (Harness h = new Harness(kit, 1)) {
            CSpaceView v = h.thread("root", 50, 0);
            int ctl = h.loader.give(v, h.kernel.irqControl(), Rights.ALL, 0);
            TestProbe<KernelEvent> p = kit.createTestProbe();
            ActorRef<KernelEvent> ref = h.start(v, p.getRef(), Supervision.RESTART);
            p.expectMessageClass(KernelEvent.Started.class);
            assertEquals(SysResult.OK, Harness.run(kit, ref, s -> s.irqControlGet(ctl, 40, CSpaceView.CNODE_SLOT, 20, 64)));
            assertEquals(Sel4Error.REVOKE_FIRST, Harness.run(kit, ref, s -> s.irqControlGet(ctl, 40, CSpaceView.CNODE_SLOT, 21, 64)).error());
            assertEquals(Sel4Error.RANGE_ERROR, Harness.run(kit, ref, s -> s.irqControlGet(ctl, 999, CSpaceView.CNODE_SLOT, 21, 64)).error());
            assertEquals(Sel4Error.DELETE_FIRST, Harness.run(kit, ref, s -> s.irqControlGet(ctl, 41, CSpaceView.CNODE_SLOT, 20, 64)).error());
        }
    }
}
