package dev.sel4sim.system.assembly;

import dev.sel4sim.kernel.actor.Simulation;
import dev.sel4sim.kernel.devices.PeriodicTimer;
import dev.sel4sim.servers.Console;
import dev.sel4sim.system.config.ComponentSpec;
import dev.sel4sim.system.config.DeviceSpec;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * A system started from its description: every component's thread running on its core, every
 * device ticking on simulated time. Close it to stop the threads and devices.
 */
public final class RunningSystem implements AutoCloseable {
    private final BuiltSystem built;
    private final Simulation sim;
    private final List<PeriodicTimer> devices = new ArrayList<>();

    private RunningSystem(BuiltSystem built, Simulation sim) {
        this.built = built;
        this.sim = sim;
    }

    /** Starts a built system on {@code system}; component output goes to {@code console}. */
    public static RunningSystem start(BuiltSystem built, ActorSystem<?> system, Console console, String id) {
        return start(built, system, ComponentKinds.Outputs.of(console), id);
    }

    /** Starts a built system whose serial component may print through a shared serial hub. */
    public static RunningSystem start(BuiltSystem built, ActorSystem<?> system, ComponentKinds.Outputs outputs, String id) {
        Simulation sim = new Simulation(system, built.kernel(), built.spec().cores(), id);
        RunningSystem rs = new RunningSystem(built, sim);
        for (PlannedComponent p : built.components().values()) {
            ComponentSpec c = p.spec();
            sim.start(p.view().tcb(), ComponentKinds.create(c.kind(), p.wiring(), c.settings(), outputs), c.supervision());
        }
        for (DeviceSpec d : built.spec().devices()) {
            PeriodicTimer t = new PeriodicTimer(built.kernel(), d.irq(), d.periodNs());
            rs.devices.add(t);
            t.start();
        }
        return rs;
    }

    public Simulation simulation() {
        return sim;
    }

    public BuiltSystem built() {
        return built;
    }

    @Override
    public void close() {
        devices.forEach(PeriodicTimer::close);
        sim.close();
    }
}
