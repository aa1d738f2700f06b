package dev.sel4sim.kernel;

import static org.junit.jupiter.api.Assertions.*;

import dev.sel4sim.kernel.actor.Supervision;
import dev.sel4sim.kernel.boot.CSpaceView;
import dev.sel4sim.kernel.ipc.KernelEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class SchedulingTest {
    static final ActorTestKit kit = ActorTestKit.create();

    @AfterAll
    static void shutdown() {
        kit.shutdownTestKit();
    }

    private static ActorRef<KernelEvent> start(Harness h, CSpaceView v) {
        TestProbe<KernelEvent> p = kit.createTestProbe();
        ActorRef<KernelEvent> ref = h.start(v, p.getRef(), Supervision.RESTART);
        p.expectMessageClass(KernelEvent.Started.class);
        return ref;
    }

    @Test
    void higherPriorityRunsFirstOnOneCoreAndEqualPrioritiesRoundRobin() throws Exception {
        try (Harness h = new Harness(kit, 1)) {
            ActorRef<KernelEvent> blocker = start(h, h.thread("blocker", 255, 0));
            ActorRef<KernelEvent> low = start(h, h.thread("low", 10, 0));
            ActorRef<KernelEvent> high = start(h, h.thread("high", 200, 0));
            ActorRef<KernelEvent> mid = start(h, h.thread("mid", 100, 0));
            ActorRef<KernelEvent> midB = start(h, h.thread("midB", 100, 0));
            CountDownLatch hold = new CountDownLatch(1);
            CountDownLatch holding = new CountDownLatch(1);
            ConcurrentLinkedQueue<String> order = new ConcurrentLinkedQueue<>();
            TestProbe<SysResult> sink = kit.createTestProbe();
            blocker.tell(new Harness.Do(s -> {
                holding.countDown();
                try {
                    hold.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return SysResult.OK;
            }, sink.getRef()));
            assertTrue(holding.await(5, TimeUnit.SECONDS));
            // The core is busy: these queue up in arrival order low, mid, midB, high, mid, midB.
            for (var pair : List.of(List.of(low, "low"), List.of(mid, "mid1"), List.of(midB, "midB1"),
                    List.of(high, "high"), List.of(mid, "mid2"), List.of(midB, "midB2"))) {
                @SuppressWarnings("unchecked") ActorRef<KernelEvent> ref = (ActorRef<KernelEvent>) pair.get(0);
                String tag = (String) pair.get(1);
                ref.tell(new Harness.Do(s -> {
                    order.add(tag);
                    return SysResult.OK;
                }, sink.getRef()));
            }
            Thread.sleep(100);
            hold.countDown();
            sink.receiveSeveralMessages(7, Duration.ofSeconds(5));
            assertEquals(List.of("high", "mid1", "midB1", "mid2", "midB2", "low"), new ArrayList<>(order));
        }
    }

    @Test
    void mcsBudgetLimitsAThreadToItsShareOfEachPeriod() {
        try (Harness h = new Harness(kit, 1)) {
            CSpaceView v = h.thread("capped", 100, 0);
            h.loader.schedContext(v, 2_000_000, 10_000_000);
            ActorRef<KernelEvent> t = start(h, v);
            TestProbe<SysResult> times = kit.createTestProbe();
            int n = 20;
            for (int i = 0; i < n; i++) {
                t.tell(new Harness.Do(s -> {
                    long now = s.nowNs();
                    s.compute(1_000_000);
                    return new SysResult.Done(now);
                }, times.getRef()));
            }
            int[] perPeriod = new int[20];
            long last = 0;
            for (SysResult r : times.receiveSeveralMessages(n, Duration.ofSeconds(10))) {
                long at = ((SysResult.Done) r).value();
                perPeriod[(int) (at / 10_000_000)]++;
                last = Math.max(last, at);
            }
            for (int p = 0; p < perPeriod.length; p++) {
                assertTrue(perPeriod[p] <= 2, "period " + p + " ran " + perPeriod[p] + " messages, budget allows 2");
            }
            assertTrue(last >= 90_000_000, "20 messages of 1 ms at 2 ms per 10 ms take >= 90 ms; last ran at " + last);
            assertTrue(h.sim.cores().deferredCount(0) >= 9);
        }
    }
}
