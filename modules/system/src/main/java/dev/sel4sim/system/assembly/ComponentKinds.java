package dev.sel4sim.system.assembly;

import com.typesafe.config.Config;
import dev.sel4sim.kernel.actor.Component;
import dev.sel4sim.servers.Console;
import dev.sel4sim.servers.ReverseServer;
import dev.sel4sim.servers.RpcClient;
import dev.sel4sim.servers.SerialServer;
import dev.sel4sim.servers.TickDriver;
import dev.sel4sim.servers.Wiring;
import dev.sel4sim.servers.serial.SerialOutput;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import java.util.Map;
import java.util.Set;

/** The component kinds a system file may name, and how each is started from its settings. */
public final class ComponentKinds {
    private interface Factory {
        Component create(Wiring wiring, Config settings, Outputs out);
    }

    /**
     * Where components print: the run's console, and the serial hub when VMs share the terminal
     * through a serial server (then the serial component prints through it, in order with the VMs).
     */
    public record Outputs(Console console, SerialOutput serial) {
        public static Outputs of(Console console) {
            return new Outputs(console, null);
        }
    }

    /** Network kinds: their data plane is a stream stage cabled by NetworkWiring; their thread only waits. */
    private static final Factory NETWORK = (w, s, o) -> (sys, ctx) -> Behaviors.ignore();

    private static final Map<String, Factory> KINDS = Map.ofEntries(
            // With no IPC clients it only multiplexes VM consoles, which the assembly cables to it.
            Map.entry("serial", (w, s, o) -> (sys, ctx) -> !w.has(str(s, "endpoint", "serial")) ? Behaviors.ignore()
                    : o.serial() != null ? SerialServer.create(sys, w, str(s, "endpoint", "serial"), o.serial())
                    : SerialServer.create(sys, w, str(s, "endpoint", "serial"), o.console())),
            Map.entry("vswitch", NETWORK),
            Map.entry("firewall", NETWORK),
            Map.entry("udp-server", NETWORK),
            Map.entry("ethernet-driver", NETWORK),
            // Its images go to the VMMs when they build their VMs (FileServers); its thread only waits.
            Map.entry("file-server", (w, s, o) -> (sys, ctx) -> Behaviors.ignore()),
            Map.entry("reverse", (w, s, o) -> (sys, ctx) -> ReverseServer.create(sys, w, str(s, "endpoint", "reverse"),
                    s.hasPath("work") ? s.getDuration("work").toNanos() : 0)),
            Map.entry("rpc-client", (w, s, o) -> (sys, ctx) -> RpcClient.create(sys, w, str(s, "server", "reverse"), str(s, "serial", "serial"),
                    s.hasPath("messages") ? s.getStringList("messages") : java.util.List.of("hello"))),
            Map.entry("timer-driver", (w, s, o) -> (sys, ctx) -> TickDriver.create(sys, w, str(s, "irq", "timer"), str(s, "serial", "serial"))),
            Map.entry("time-server", (w, s, o) -> (sys, ctx) -> dev.sel4sim.servers.time.TimeServer.create(sys,
                    dev.sel4sim.servers.time.TimeServerConfig.fromWiring(w, str(s, "endpoint", "time"), str(s, "irq", "tick"),
                            s.hasPath("timers-per-client") ? s.getInt("timers-per-client") : 4))),
            Map.entry("timer-client", (w, s, o) -> (sys, ctx) -> dev.sel4sim.servers.time.TimerClient.create(sys, w,
                    str(s, "server", "time"), str(s, "serial", "serial"),
                    s.hasPath("period") ? s.getDuration("period").toNanos() : 100_000_000L, s.hasPath("count") ? s.getInt("count") : 5)),
            Map.entry("string-reverse", (w, s, o) -> (sys, ctx) -> dev.sel4sim.servers.StringReverse.create(sys, w,
                    dev.sel4sim.servers.StringReverse.Settings.of(s), o.console())));

    /** Device kinds a system file may name. */
    public static final Set<String> DEVICES = Set.of("periodic-timer");

    private ComponentKinds() {
    }

    public static Set<String> names() {
        return KINDS.keySet();
    }

    public static Component create(String kind, Wiring wiring, Config settings, Outputs out) {
        Factory f = KINDS.get(kind);
        if (f == null) {
            throw new IllegalArgumentException("unknown component kind '" + kind + "'; known: " + names());
        }
        return f.create(wiring, settings, out);
    }

    private static String str(Config s, String key, String dflt) {
        return s.hasPath(key) ? s.getString(key) : dflt;
    }
}
