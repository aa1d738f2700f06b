package dev.sel4sim.kernel.actor;

import dev.sel4sim.kernel.ipc.KernelEvent;

/** Fault-injection commands every thread actor understands, whatever its component. */
public sealed interface Control extends KernelEvent.Local {
    /** Fail now, as if the component threw: its supervision policy decides what follows. */
    record Crash(String reason) implements Control {}

    /** Stop now (kill), regardless of policy. */
    record Kill(String reason) implements Control {}
}
