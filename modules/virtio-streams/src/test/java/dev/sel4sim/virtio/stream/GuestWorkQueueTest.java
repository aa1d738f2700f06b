package dev.sel4sim.virtio.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class GuestWorkQueueTest {

    @Test
    void tasksFromAnyThreadRunOnlyOnTheDrainingThreadInOrder() throws InterruptedException {
        AtomicInteger wakeUps = new AtomicInteger();
        GuestWorkQueue queue = new GuestWorkQueue(wakeUps::incrementAndGet);
        List<String> ran = new CopyOnWriteArrayList<>();
        List<Thread> threads = new CopyOnWriteArrayList<>();
        Thread producer = new Thread(() -> {
            for (int i = 0; i < 100; i++) {
                int n = i;
                queue.execute(() -> {
                    ran.add("t" + n);
                    threads.add(Thread.currentThread());
                });
            }
        });
        producer.start();
        producer.join();
        assertTrue(ran.isEmpty(), "nothing runs until the VM drains");
        assertEquals(1, wakeUps.get(), "one wake-up for a burst");
        assertTrue(queue.hasPending());

        assertEquals(100, queue.runPending());
        assertEquals(100, ran.size());
        for (int i = 0; i < 100; i++) {
            assertEquals("t" + i, ran.get(i));
        }
        threads.forEach(t -> assertSame(Thread.currentThread(), t));
        assertFalse(queue.hasPending());

        queue.execute(() -> { });
        assertEquals(2, wakeUps.get(), "a new burst after a drain wakes the VM again");
    }

    @Test
    void tasksSubmittedWhileDrainingRunInTheSameDrain() {
        GuestWorkQueue queue = new GuestWorkQueue(() -> { });
        List<Integer> ran = new CopyOnWriteArrayList<>();
        queue.execute(() -> {
            ran.add(1);
            queue.execute(() -> ran.add(2));
        });
        assertEquals(2, queue.runPending());
        assertEquals(List.of(1, 2), ran);
    }

    /**
     * The VMM drains only when {@link GuestWorkQueue#hasPending()} says so. A task that arrives while a drain runs
     * is taken by that drain; work that arrives after it must still wake the VMM, or an idle VM (every VCPU in
     * WFI) never sees it.
     */
    @Test
    void workArrivingAfterADrainThatTookLateArrivalsStillWakesTheVm() {
        AtomicInteger wakeUps = new AtomicInteger();
        GuestWorkQueue queue = new GuestWorkQueue(wakeUps::incrementAndGet);
        List<Integer> ran = new CopyOnWriteArrayList<>();
        // A stream thread submits the second task while the first runs: the same drain takes it.
        queue.execute(() -> {
            ran.add(1);
            queue.execute(() -> ran.add(2));
        });
        assertEquals(1, wakeUps.get());
        assertEquals(2, queue.runPending());
        int afterDrain = wakeUps.get();
        // The wake-up the late task caused reaches the VMM after the drain: nothing waits any more.
        assertFalse(queue.hasPending());

        queue.execute(() -> ran.add(3));
        assertEquals(afterDrain + 1, wakeUps.get(), "new work after a drain must wake the VM");
        assertTrue(queue.hasPending());
        assertEquals(1, queue.runPending());
        assertEquals(List.of(1, 2, 3), ran);
    }

    /**
     * A consumer that sleeps until woken and drains only when work is pending (as the VMM does), against a
     * producer that submits in bursts, some while a drain is running. Every task must run, none may wait for a
     * wake-up that never comes.
     */
    @Test
    void aConsumerThatSleepsUntilWokenNeverMissesWork() throws InterruptedException {
        java.util.concurrent.Semaphore wake = new java.util.concurrent.Semaphore(0);
        GuestWorkQueue queue = new GuestWorkQueue(wake::release);
        int total = 100_000;
        AtomicInteger ran = new AtomicInteger();
        Thread consumer = new Thread(() -> {
            while (ran.get() < total) {
                try {
                    if (!wake.tryAcquire(2, java.util.concurrent.TimeUnit.SECONDS)) {
                        return; // stalled: a wake-up was lost
                    }
                } catch (InterruptedException e) {
                    return;
                }
                if (queue.hasPending()) {
                    queue.runPending();
                }
            }
        });
        consumer.start();
        for (int i = 0; i < total; i++) {
            queue.execute(ran::incrementAndGet);
            if (i % 7 == 0) {
                Thread.onSpinWait();
            }
            if (i % 1000 == 0) {
                Thread.sleep(1);
            }
        }
        consumer.join(30_000);
        assertEquals(total, ran.get(), "tasks left waiting for a wake-up");
    }

    @Test
    void aFailingTaskDoesNotStopTheOthers() {
        GuestWorkQueue queue = new GuestWorkQueue(() -> { });
        List<Integer> ran = new CopyOnWriteArrayList<>();
        queue.execute(() -> ran.add(1));
        queue.execute(() -> {
            throw new IllegalStateException("boom");
        });
        queue.execute(() -> ran.add(3));
        IllegalStateException e = assertThrows(IllegalStateException.class, queue::runPending);
        assertEquals("boom", e.getMessage());
        assertEquals(List.of(1, 3), ran);
    }
}
