package dev.sel4sim.servers.time;

import dev.sel4sim.servers.Wiring;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The capabilities a TimeServer uses, as CPtrs in its own CSpace: the endpoint clients call, the
 * notification its tick timer's IRQ signals and that IRQ's handler, its own TCB (to bind the tick
 * notification so one Recv waits for both; -1 when the system already bound it), and for each
 * client badge the notification to signal when one of that client's timers completes.
 */
public record TimeServerConfig(long endpoint, long tick, long irqHandler, long tcb, Map<Long, Long> clients, int timersPerClient) {
    public TimeServerConfig {
        clients = Map.copyOf(clients);
    }

    /**
     * From the component's wiring: endpoint cap {@code endpoint}, tick {@code irq} and
     * {@code irq + ".handler"}, own TCB {@code "self.tcb"} if present, and for each client the
     * badge identifies on {@code endpoint}, its notification cap {@code endpoint + "." + client}.
     */
    public static TimeServerConfig fromWiring(Wiring w, String endpoint, String irq, int timersPerClient) {
        Map<Long, Long> clients = new LinkedHashMap<>();
        for (Map.Entry<Long, String> c : w.clients().getOrDefault(endpoint, Map.of()).entrySet()) {
            clients.put(c.getKey(), w.cap(endpoint + "." + c.getValue()));
        }
        return new TimeServerConfig(w.cap(endpoint), w.cap(irq), w.cap(irq + ".handler"),
                w.has("self.tcb") ? w.cap("self.tcb") : -1, clients, timersPerClient);
    }
}
