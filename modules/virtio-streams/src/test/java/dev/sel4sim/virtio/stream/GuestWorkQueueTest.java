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
