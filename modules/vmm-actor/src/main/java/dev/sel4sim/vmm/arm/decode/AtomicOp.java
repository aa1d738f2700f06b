package dev.sel4sim.vmm.arm.decode;

/** The read-modify-write operation of an atomic instruction; {@link #NONE} for every other access. */
public enum AtomicOp {
    NONE, ADD, CLR, EOR, SET, SMAX, SMIN, UMAX, UMIN, SWP, CAS
}
