package dev.sel4sim.vmm.x86.dev;

/**
 * An interrupt line driven by a device. Devices report the line's level; an edge-triggered receiver
 * latches the rising edge, a level-triggered one follows the level. A device calls this only when the
 * level changes or when it signals a fresh edge (low then high).
 */
@FunctionalInterface
public interface IrqLine {
    void set(boolean high);

    /** A line connected to nothing. */
    IrqLine NONE = high -> { };

    /** A rising then falling edge, for periodic timers that signal an event rather than a state. */
    default void pulse() {
        set(true);
        set(false);
    }
}
