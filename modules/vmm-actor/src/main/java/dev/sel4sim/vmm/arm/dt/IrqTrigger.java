package dev.sel4sim.vmm.arm.dt;

/**
 * The trigger type of a GIC interrupt as the third cell of its specifier encodes it in bits [3:0]
 * (Linux {@code dt-bindings/interrupt-controller/irq.h}; bindings {@code arm,gic} and {@code arm,gic-v3}).
 */
public enum IrqTrigger {
    /** Low-to-high edge. */
    EDGE_RISING(1),
    /** High-to-low edge (invalid for SPIs). */
    EDGE_FALLING(2),
    /** Active-high level. */
    LEVEL_HIGH(4),
    /** Active-low level (invalid for SPIs). */
    LEVEL_LOW(8);

    private final int flags;

    IrqTrigger(int flags) {
        this.flags = flags;
    }

    /** @return the value of bits [3:0] of the specifier's flags cell */
    public int flags() {
        return flags;
    }

    /** @return true if a GIC SPI may have this trigger (rising edge or active-high level) */
    public boolean validForSpi() {
        return this == EDGE_RISING || this == LEVEL_HIGH;
    }
}
