package dev.sel4sim.kernel.actor;

/**
 * The one interface through which faults are injected into a running simulation: from tests, from
 * the CLI and (later) from a seeded chaos schedule. Components are named as in the system file.
 */
public interface FaultInjector {
    /** Stops the component's thread for good (its supervision policy is not consulted). */
    void kill(String component);

    /** Makes the component fail; its supervision policy decides (restart, stop, escalate). */
    void crash(String component);

    /** Delays every kernel delivery to the component by {@code ns} of simulated time (0 clears). */
    void delay(String component, long ns);

    /** Drops the next {@code count} kernel deliveries to the component. */
    void drop(String component, int count);
}
