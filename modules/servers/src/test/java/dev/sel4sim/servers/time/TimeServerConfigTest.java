package dev.sel4sim.servers.time;

import static org.junit.jupiter.api.Assertions.*;

import dev.sel4sim.servers.Wiring;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TimeServerConfigTest {
    @Test
    void readsEachClientsNotificationByTheNameItsBadgeStandsFor() {
        Wiring w = new Wiring(Map.of("timer", 3L, "tick", 4L, "tick.handler", 5L, "timer.a", 6L, "timer.b", 7L, "self.tcb", 1L),
                Map.of("timer", Map.of(0x10L, "a", 0x20L, "b")));
        TimeServerConfig c = TimeServerConfig.fromWiring(w, "timer", "tick", 8);
        assertEquals(new TimeServerConfig(3, 4, 5, 1, Map.of(0x10L, 6L, 0x20L, 7L), 8), c);
        Wiring missing = new Wiring(Map.of("timer", 3L, "tick", 4L, "tick.handler", 5L), Map.of("timer", Map.of(0x10L, "a")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TimeServerConfig.fromWiring(missing, "timer", "tick", 8));
        assertTrue(e.getMessage().contains("timer.a"), e.getMessage());
        assertEquals(-1, TimeServerConfig.fromWiring(new Wiring(Map.of("timer", 3L, "tick", 4L, "tick.handler", 5L), Map.of()), "timer", "tick", 1).tcb());
    }

    @Test
    void requestsSurviveTheTripThroughAMessage() {
        for (TimeRequest r : new TimeRequest[]{new TimeRequest.OneshotRelative(1, 5), new TimeRequest.OneshotAbsolute(2, 9),
                new TimeRequest.Periodic(3, 7), new TimeRequest.Stop(0), new TimeRequest.Completed(), new TimeRequest.Time()}) {
            assertEquals(r, TimeRequest.decode(r.toMessage()));
        }
        assertNull(TimeRequest.decode(dev.sel4sim.kernel.ipc.Message.of(42)));
        assertEquals(new TimeReply(TimeReply.Status.INVALID_TIMER, 0), TimeReply.decode(new TimeReply(TimeReply.Status.INVALID_TIMER, 0).toMessage()));
    }
}
