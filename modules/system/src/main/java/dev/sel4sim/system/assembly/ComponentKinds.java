package dev.sel4sim.system.assembly;

import com.typesafe.config.Config;
import dev.sel4sim.kernel.actor.Component;
import dev.sel4sim.servers.Console;
import dev.sel4sim.servers.ReverseServer;
import dev.sel4sim.servers.RpcClient;
import dev.sel4sim.servers.SerialServer;
import dev.sel4sim.servers.TickDriver;
import dev.sel4sim.servers.Wiring;
import java.util.Map;
import java.util.Set;

/** The component kinds a system file may name, and how each is started from its settings. */
public final class ComponentKinds {
    private interface Factory {
        Component create(Wiring wiring, Config settings, Console console);
    }

    private static final Map<String, Factory> KINDS = Map.of(
            "serial", (w, s, c) -> (sys, ctx) -> SerialServer.create(sys, w, str(s, "endpoint", "serial"), c),
            "reverse", (w, s, c) -> (sys, ctx) -> ReverseServer.create(sys, w, str(s, "endpoint", "reverse"),
                    s.hasPath("work") ? s.getDuration("work").toNanos() : 0),
            "rpc-client", (w, s, c) -> (sys, ctx) -> RpcClient.create(sys, w, str(s, "server", "reverse"), str(s, "serial", "serial"),
                    s.hasPath("messages") ? s.getStringList("messages") : java.util.List.of("hello")),
            "timer-driver", (w, s, c) -> (sys, ctx) -> TickDriver.create(sys, w, str(s, "irq", "timer"), str(s, "serial", "serial")),
            "string-reverse", (w, s, c) -> (sys, ctx) -> dev.sel4sim.servers.StringReverse.create(sys, w,
                    dev.sel4sim.servers.StringReverse.Settings.of(s), c));

    /** Device kinds a system file may name. */
    public static final Set<String> DEVICES = Set.of("periodic-timer");

    private ComponentKinds() {
    }

    public static Set<String> names() {
        return KINDS.keySet();
    }

    public static Component create(String kind, Wiring wiring, Config settings, Console console) {
        Factory f = KINDS.get(kind);
        if (f == null) {
            throw new IllegalArgumentException("unknown component kind '" + kind + "'; known: " + names());
        }
        return f.create(wiring, settings, console);
    }

    private static String str(Config s, String key, String dflt) {
        return s.hasPath(key) ? s.getString(key) : dflt;
    }
}
