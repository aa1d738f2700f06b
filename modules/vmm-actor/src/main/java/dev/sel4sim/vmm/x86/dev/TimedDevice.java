package dev.sel4sim.vmm.x86.dev;

/**
 * A device whose state changes with simulated time. The VMM asks for the next deadline, lets the
 * guest run until then (or until an exit), then calls {@link #update()} so the device raises whatever
 * became due. Register reads are always computed from the current time, so update() matters only
 * for interrupts.
 */
public interface TimedDevice {
    /** No event is scheduled. */
    long NO_DEADLINE = Long.MAX_VALUE;

    /** Simulated nanoseconds at which the device next needs {@link #update()}, or {@link #NO_DEADLINE}. */
    long nextDeadlineNs();

    /** Raises the interrupts that became due by the current simulated time. */
    void update();
}
