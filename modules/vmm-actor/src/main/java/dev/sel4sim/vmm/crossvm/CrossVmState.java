package dev.sel4sim.vmm.crossvm;

/**
 * A connector's register state, for snapshots: everything but the dataport's bytes (which are memory, saved
 * with the frames) and its wiring.
 *
 * @param pending an event from the component not yet acknowledged (the interrupt line is high)
 * @param rung    doorbell writes so far
 * @param events  events from the component so far
 */
public record CrossVmState(boolean pending, long rung, long events) {
}
