package dev.sel4sim.virtio.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import dev.sel4sim.virtio.stream.GuestWorkQueue;

/**
 * The VM's thread as tests play it: the test thread drains device work between its own "guest" steps, as the
 * VMM drains it between VCPU slices.
 */
public final class ManualVm {
    private final GuestWorkQueue work = new GuestWorkQueue(() -> { });

    public GuestWorkQueue executor() {
        return work;
    }

    /** Drains device work until {@code condition} holds; fails after 10 s. */
    public void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            work.runPending();
            if (condition.getAsBoolean()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            sleep();
        }
    }

    /** Drains device work for {@code time}, giving streams every chance to do what they should not. */
    public void idle(Duration time) {
        long end = System.nanoTime() + time.toNanos();
        while (System.nanoTime() < end) {
            work.runPending();
            sleep();
        }
        work.runPending();
    }

    private static void sleep() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
