package dev.sel4sim.vmm.x86.decode;

/** Repeat prefix of a string instruction. */
public enum Rep {
    NONE,
    /** F3h: repeat while the count register is not zero. */
    REP,
    /** F2h: for MOVS, STOS and LODS it repeats exactly as REP does. */
    REPNE
}
