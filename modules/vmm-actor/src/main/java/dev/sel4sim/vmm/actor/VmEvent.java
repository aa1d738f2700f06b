package dev.sel4sim.vmm.actor;

import dev.sel4sim.vmm.run.VmStop;

/** What a VMM actor reports to whoever started it. */
public sealed interface VmEvent {
    String vm();

    /** The VM stopped; nothing else of the system is affected. */
    record Stopped(String vm, VmStop why, long instructions, long simulatedNs, String stats, java.util.List<String> notes)
            implements VmEvent {
    }
}
