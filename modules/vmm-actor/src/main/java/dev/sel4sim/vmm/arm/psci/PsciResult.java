package dev.sel4sim.vmm.arm.psci;

import java.util.Objects;

/**
 * The answer to one PSCI or SMCCC architecture call.
 *
 * @param x0     the value for the caller's x0 (negative codes sign-extended)
 * @param action what else the VMM must do
 */
public record PsciResult(long x0, PsciAction action) {

    /** Checks the action is present. */
    public PsciResult {
        Objects.requireNonNull(action, "action");
    }

    static PsciResult value(long x0) {
        return new PsciResult(x0, PsciAction.NONE);
    }
}
