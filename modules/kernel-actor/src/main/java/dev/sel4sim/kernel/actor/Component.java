package dev.sel4sim.kernel.actor;

import dev.sel4sim.kernel.Syscalls;
import dev.sel4sim.kernel.ipc.KernelEvent;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;

/**
 * A native component's thread: given its system-call interface, it returns the behaviour that
 * handles its kernel events. It is called again on every restart, so state kept in the behaviour
 * is reset by a restart.
 */
@FunctionalInterface
public interface Component {
    Behavior<KernelEvent> create(Syscalls sys, ActorContext<KernelEvent> ctx);
}
