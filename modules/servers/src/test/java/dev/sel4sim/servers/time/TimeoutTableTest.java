package dev.sel4sim.servers.time;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class TimeoutTableTest {
    static final long A = 0x10, B = 0x20;

    @Test
    void oneshotsCompleteOnceAtOrAfterTheirDeadline() {
        TimeoutTable t = new TimeoutTable(List.of(A, B), 4);
        t.oneshotAt(A, 0, 1_000);
        t.oneshotAt(A, 2, 3_000);
        assertEquals(List.of(), t.expire(999));
        assertEquals(List.of(A), t.expire(1_000));
        assertEquals(0b1, t.takeCompleted(A));
        assertEquals(0, t.takeCompleted(A));
        assertEquals(3_000, t.nextDeadline());
        assertEquals(List.of(A), t.expire(5_000));
        assertEquals(0b100, t.takeCompleted(A));
        assertEquals(List.of(), t.expire(10_000));
        assertEquals(TimeoutTable.IDLE, t.nextDeadline());
    }

    @Test
    void periodicTimersRearmAndSkipMissedPeriods() {
        TimeoutTable t = new TimeoutTable(List.of(A, B), 2);
        t.periodic(B, 1, 100, 0);
        assertEquals(List.of(B), t.expire(100));
        assertEquals(200, t.nextDeadline());
        // Late by two and a half periods: one completion, next deadline on the grid.
        assertEquals(List.of(B), t.expire(350));
        assertEquals(400, t.nextDeadline());
        assertEquals(0b10, t.takeCompleted(B));
        t.stop(B, 1);
        assertEquals(List.of(), t.expire(1_000));
    }

    @Test
    void completionsAccumulateUntilAsked() {
        TimeoutTable t = new TimeoutTable(List.of(A), 3);
        t.oneshotAt(A, 0, 10);
        t.expire(10);
        t.oneshotAt(A, 1, 20);
        t.expire(20);
        assertEquals(0b11, t.takeCompleted(A));
    }

    @Test
    void refusesUnknownClientsTimersAndPeriods() {
        TimeoutTable t = new TimeoutTable(List.of(A), 2);
        assertThrows(IllegalArgumentException.class, () -> t.oneshotAt(B, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> t.oneshotAt(A, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> t.periodic(A, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new TimeoutTable(List.of(A), 65));
    }
}
