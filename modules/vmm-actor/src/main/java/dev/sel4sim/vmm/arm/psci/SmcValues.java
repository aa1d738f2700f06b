package dev.sel4sim.vmm.arm.psci;

/**
 * Fixed return values for an emulated SMC or HVC.
 *
 * @param x0 the result (negative codes sign-extended)
 * @param x1 second result register
 * @param x2 third result register
 * @param x3 fourth result register
 */
public record SmcValues(long x0, long x1, long x2, long x3) {

    /** @return values with only x0 set */
    public static SmcValues of(long x0) {
        return new SmcValues(x0, 0, 0, 0);
    }
}
