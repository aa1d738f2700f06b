package dev.sel4sim.vmm.arm.mmu;

/** Effective stage-1 permissions of a translation, after the table-level limits and WXN. */
public record Permissions(boolean el0Read, boolean el0Write, boolean el0Execute,
                          boolean el1Read, boolean el1Write, boolean el1Execute) {

    /** Everything allowed: stage 1 disabled. */
    static final Permissions ALL = new Permissions(true, true, true, true, true, true);
}
