package dev.sel4sim.servers.time;

import static org.junit.jupiter.api.Assertions.*;

import dev.sel4sim.kernel.Arch;
import dev.sel4sim.kernel.Kernel;
import dev.sel4sim.kernel.SysResult;
import dev.sel4sim.kernel.Syscalls;
import dev.sel4sim.kernel.actor.Component;
import dev.sel4sim.kernel.actor.Simulation;
import dev.sel4sim.kernel.actor.Supervision;
import dev.sel4sim.kernel.boot.CSpaceView;
import dev.sel4sim.kernel.boot.Loader;
import dev.sel4sim.kernel.cap.Rights;
import dev.sel4sim.kernel.devices.PeriodicTimer;
import dev.sel4sim.kernel.ipc.KernelEvent;
import dev.sel4sim.kernel.objects.Endpoint;
import dev.sel4sim.kernel.objects.Notification;
import dev.sel4sim.kernel.objects.Untyped;
import dev.sel4sim.kernel.sched.Timeline;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The TimeServer in the kernel model, with a 1 ms tick in virtual simulated time and scripted clients. */
class TimeServerTest {
    static final ActorTestKit kit = ActorTestKit.create();
    static final long TICK_NS = 1_000_000;
    static final int IRQ = 40;
    static int runs;

    /** A kernel event as a client saw it, with the simulated time it arrived at. */
    record Seen(KernelEvent event, long nowNs) {}

    /** Runs a system call inside the client's own actor. */
    record Do(Function<Syscalls, Object> call, ActorRef<Object> replyTo) implements KernelEvent.Local {}

    Simulation sim;
    PeriodicTimer timer;
    Client a, b, stranger;

    record Client(ActorRef<KernelEvent> ref, TestProbe<Seen> events, long ep, long ntfn) {
        Object run(Function<Syscalls, Object> call) {
            TestProbe<Object> p = kit.createTestProbe();
            ref.tell(new Do(call, p.getRef()));
            return p.receiveMessage(Duration.ofSeconds(5));
        }

        TimeReply call(TimeRequest req) {
            assertEquals(SysResult.BLOCKED, run(s -> s.call(ep, req.toMessage())));
            return TimeReply.decode(((KernelEvent.ReplyReceived) events.expectMessageClass(Seen.class, Duration.ofSeconds(5)).event()).message());
        }

        long now() {
            return (Long) run(Syscalls::nowNs);
        }

        /**
         * Sets a timeout and waits for it {@code waits} times inside the client (so simulated time
         * cannot run on in between); returns the time it was set and the times it fired.
         */
        long[] armAndWait(TimeRequest req, int waits) {
            TestProbe<Object> p = kit.createTestProbe();
            ref.tell(new Arm(req, waits, p.getRef()));
            long[] t = new long[1 + waits];
            t[0] = (Long) p.receiveMessage(Duration.ofSeconds(5));
            TimeReply r = TimeReply.decode(((KernelEvent.ReplyReceived) events.expectMessageClass(Seen.class, Duration.ofSeconds(5)).event()).message());
            assertEquals(TimeReply.Status.OK, r.status());
            for (int i = 1; i <= waits; i++) {
                Seen fired = events.expectMessageClass(Seen.class, Duration.ofSeconds(10));
                assertInstanceOf(KernelEvent.NotificationReceived.class, fired.event());
                t[i] = fired.nowNs();
            }
            return t;
        }

        /** Waits for the timeout notification; returns the simulated time it arrived. */
        long awaitTimeout() {
            assertEquals(SysResult.BLOCKED, run(s -> s.waitFor(ntfn)));
            Seen s = events.expectMessageClass(Seen.class, Duration.ofSeconds(10));
            assertInstanceOf(KernelEvent.NotificationReceived.class, s.event());
            return s.nowNs();
        }
    }

    /** Calls the server and, as a real client does, waits on its notification as soon as the reply is in. */
    record Arm(TimeRequest request, int waits, ActorRef<Object> replyTo) implements KernelEvent.Local {}

    static Component probed(ActorRef<Seen> events, long ep, long ntfn) {
        return (sys, ctx) -> Behaviors.setup(c -> new Object() {
            int waitsLeft;

            org.apache.pekko.actor.typed.Behavior<KernelEvent> behavior() {
                return Behaviors.receiveMessage(msg -> {
                    switch (msg) {
                        case Do d -> d.replyTo().tell(d.call().apply(sys));
                        case Arm arm -> {
                            waitsLeft = arm.waits();
                            arm.replyTo().tell(sys.nowNs());
                            sys.call(ep, arm.request().toMessage());
                        }
                        default -> {
                            events.tell(new Seen(msg, sys.nowNs()));
                            if (msg instanceof KernelEvent.NotificationReceived && waitsLeft > 0) {
                                waitsLeft--;
                            }
                            if (waitsLeft > 0 && (msg instanceof KernelEvent.ReplyReceived || msg instanceof KernelEvent.NotificationReceived)) {
                                sys.waitFor(ntfn);
                            }
                        }
                    }
                    return Behaviors.same();
                });
            }
        }.behavior());
    }

    @BeforeEach
    void boot() {
        Timeline timeline = new Timeline(Timeline.Mode.VIRTUAL);
        Kernel kernel = new Kernel(Arch.AARCH64, false, 40, 256, timeline);
        Untyped ut = kernel.addUntyped("ut0", 0x4000_0000L, 24, false);
        sim = new Simulation(kit.system(), kernel, 1, "ts" + (++runs));
        Loader loader = new Loader(kernel, List.of(ut), 8);
        Endpoint ep = loader.endpoint("time.ep");
        Notification tick = loader.notification("time.tick");
        var handler = loader.irq(IRQ, tick, 1);

        CSpaceView server = loader.thread("timeserver", 6, 200, 0);
        long sEp = loader.give(server, ep, Rights.ALL, 0);
        long sTick = loader.give(server, tick, Rights.READ, 0);
        long sIrq = loader.give(server, handler, Rights.ALL, 0);
        Map<Long, Long> clients = new java.util.LinkedHashMap<>();
        Client[] made = new Client[3];
        String[] names = {"a", "b", "stranger"};
        for (int i = 0; i < 3; i++) {
            long badge = 0x100L << i;
            Notification n = loader.notification(names[i] + ".timeout");
            CSpaceView c = loader.thread(names[i], 6, 100, 0);
            long cEp = loader.give(c, ep, Rights.ALL, badge);
            long cN = loader.give(c, n, Rights.READ, 0);
            if (i < 2) {
                clients.put(badge, (long) loader.give(server, n, Rights.WRITE, 0));
            }
            TestProbe<Seen> p = kit.createTestProbe();
            ActorRef<KernelEvent> ref = sim.start(c.tcb(), probed(p.getRef(), cEp, cN), Supervision.RESTART);
            assertInstanceOf(KernelEvent.Started.class, p.expectMessageClass(Seen.class).event());
            made[i] = new Client(ref, p, cEp, cN);
        }
        a = made[0];
        b = made[1];
        stranger = made[2];
        TimeServerConfig cfg = new TimeServerConfig(sEp, sTick, sIrq, CSpaceView.TCB_SLOT, clients, 4);
        sim.start(server.tcb(), (sys, ctx) -> TimeServer.create(sys, cfg), Supervision.RESTART);
        timer = new PeriodicTimer(kernel, IRQ, TICK_NS);
        timer.start();
    }

    @AfterEach
    void shutdown() {
        timer.close();
        sim.close();
    }

    @AfterAll
    static void stopKit() {
        kit.shutdownTestKit();
    }

    @Test
    void aOneShotTimeoutSignalsItsClientWithinATickOfTheDeadline() {
        long[] t = a.armAndWait(new TimeRequest.OneshotRelative(2, 5 * TICK_NS), 1);
        long t0 = t[0], fired = t[1];
        assertTrue(fired >= t0 + 5 * TICK_NS, "fired at " + fired + ", set at " + t0);
        assertTrue(fired <= t0 + 6 * TICK_NS, "fired at " + fired + ", set at " + t0);
        assertEquals(new TimeReply(TimeReply.Status.OK, 0b100), a.call(new TimeRequest.Completed()));
        assertEquals(new TimeReply(TimeReply.Status.OK, 0), a.call(new TimeRequest.Completed()));
        // The other client was not signalled.
        assertEquals(SysResult.OK, b.run(s -> s.poll(b.ntfn())));
    }

    @Test
    void aPeriodicTimeoutRepeatsUntilStopped() {
        long[] t = b.armAndWait(new TimeRequest.Periodic(0, 3 * TICK_NS), 3);
        long first = t[1], second = t[2], third = t[3];
        assertTrue(first - t[0] >= 3 * TICK_NS && first - t[0] <= 4 * TICK_NS, "first after " + (first - t[0]));
        assertTrue(second - first >= 2 * TICK_NS && second - first <= 4 * TICK_NS, "period seen " + (second - first));
        assertTrue(third - second >= 2 * TICK_NS && third - second <= 4 * TICK_NS, "period seen " + (third - second));
        assertEquals(0b1, b.call(new TimeRequest.Completed()).value());
        assertEquals(TimeReply.Status.OK, b.call(new TimeRequest.Stop(0)).status());
        // Drain a completion that may have raced with Stop, then nothing more arrives.
        b.run(s -> s.poll(b.ntfn()));
        long stoppedAt = b.now();
        assertEquals(SysResult.BLOCKED, b.run(s -> s.waitFor(b.ntfn())));
        b.events().expectNoMessage(Duration.ofMillis(300));
        assertTrue(b.now() > stoppedAt + 10 * TICK_NS, "simulated time went on while nothing fired");
    }

    @Test
    void anAbsoluteTimeoutAndTheTimeQuery() {
        long before = a.now();
        long now = a.call(new TimeRequest.Time()).value();
        long after = a.now();
        assertTrue(before <= now && now <= after, before + " <= " + now + " <= " + after);
        assertEquals(TimeReply.Status.OK, a.call(new TimeRequest.OneshotAbsolute(1, now + 4 * TICK_NS)).status());
        long fired = a.awaitTimeout();
        assertTrue(fired >= now + 4 * TICK_NS, "fired at " + fired);
        assertEquals(0b10, a.call(new TimeRequest.Completed()).value());
    }

    @Test
    void badRequestsGetAnErrorAndChangeNothing() {
        assertEquals(TimeReply.Status.INVALID_CLIENT, stranger.call(new TimeRequest.OneshotRelative(0, TICK_NS)).status());
        assertEquals(TimeReply.Status.INVALID_TIMER, a.call(new TimeRequest.OneshotRelative(4, TICK_NS)).status());
        assertEquals(TimeReply.Status.INVALID_TIMER, a.call(new TimeRequest.Stop(-1)).status());
        assertEquals(TimeReply.Status.INVALID_ARGUMENT, a.call(new TimeRequest.Periodic(0, 0)).status());
        assertEquals(SysResult.BLOCKED, a.run(s -> s.call(a.ep(), dev.sel4sim.kernel.ipc.Message.of(99))));
        assertEquals(TimeReply.Status.UNKNOWN_OPERATION,
                TimeReply.decode(((KernelEvent.ReplyReceived) a.events().expectMessageClass(Seen.class).event()).message()).status());
        // The server still serves.
        assertEquals(TimeReply.Status.OK, a.call(new TimeRequest.OneshotRelative(0, TICK_NS)).status());
        a.awaitTimeout();
    }
}
