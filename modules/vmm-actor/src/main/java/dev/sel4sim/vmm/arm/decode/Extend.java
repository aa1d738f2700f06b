package dev.sel4sim.vmm.arm.decode;

/** How the index register of a register-offset address is extended before the shift. */
public enum Extend {
    /** Low 32 bits, zero-extended. */
    UXTW,
    /** All 64 bits (written LSL in assembly). */
    UXTX,
    /** Low 32 bits, sign-extended. */
    SXTW,
    /** All 64 bits. */
    SXTX;

    /** Applies this extension to a register value. */
    public long apply(long value) {
        return switch (this) {
            case UXTW -> value & 0xFFFF_FFFFL;
            case SXTW -> (long) (int) value;
            case UXTX, SXTX -> value;
        };
    }
}
