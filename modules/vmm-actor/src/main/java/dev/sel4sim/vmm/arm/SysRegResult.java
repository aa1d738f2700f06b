package dev.sel4sim.vmm.arm;

import dev.sel4sim.vmm.cpu.SysReg;

/**
 * What a device model did with a system-register access. The VMM writes a {@link Value} to the transfer
 * register and steps past the instruction; for {@link Unknown} or {@link Refused} it injects an
 * undefined-instruction exception (or asks another model).
 */
public sealed interface SysRegResult {

    /** The register was read. @param value the value for the transfer register */
    record Value(long value) implements SysRegResult {
    }

    /** The write was accepted (it may have been ignored, as the architecture allows). */
    record Written() implements SysRegResult {
    }

    /** This model does not implement the register. @param reg the register */
    record Unknown(SysReg reg) implements SysRegResult {
    }

    /**
     * The register is this model's but the access is not allowed, e.g. a write to a read-only register;
     * the architecture makes it UNDEFINED.
     *
     * @param reg    the register
     * @param reason why, for the log
     */
    record Refused(SysReg reg, String reason) implements SysRegResult {
    }

    /** The shared {@link Written} instance. */
    Written WRITTEN = new Written();

    /** @return a {@link Value} */
    static SysRegResult value(long value) {
        return new Value(value);
    }
}
