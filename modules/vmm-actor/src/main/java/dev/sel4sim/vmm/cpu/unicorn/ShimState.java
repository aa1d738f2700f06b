package dev.sel4sim.vmm.cpu.unicorn;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The per-VCPU slice state shared with the native block hook (struct sel4sim_slice in
 * scripts/shim/sel4sim_shim.c): seven 64-bit fields, the Java system-register upcall, seven more
 * 64-bit fields and the shim's own cache of blocks that end in WFE/YIELD, in this order. x86
 * engines use the same struct (their block hook reads the head: stop flag, clock, deadline, IRQ
 * window on the flags register, stop reason, blocks).
 */
public final class ShimState {
    /** Entries of the shim's hint cache, 24 bytes each (HINT_SLOTS in the shim). */
    private static final long HINT_SLOTS = 1024;
    static final long SIZE = 15 * 8 + HINT_SLOTS * 24;
    static final long EXPECTED_LAYOUT = SIZE * 1000 + 7 * 8;

    private static final long STOP_REQUEST = 0;
    private static final long ICOUNT = 8;
    private static final long DEADLINE = 16;
    private static final long IRQ_WINDOW = 24;
    private static final long PSTATE_REG = 32;
    private static final long STOP_REASON = 40;
    private static final long BLOCKS = 48;
    private static final long JAVA_SYS = 56;
    private static final long SYS_FILTERED = 64;
    private static final long TLBI = 72;
    private static final long IC = 80;
    private static final long YIELD_ON_HINT = 88;
    private static final long HINT_PENDING = 96;
    private static final long HINT_STOPS = 104;
    private static final long HINT_EPOCH = 112;

    public static final int REASON_NONE = 0;
    public static final int REASON_REQUEST = 1;
    public static final int REASON_DEADLINE = 2;
    public static final int REASON_IRQ_WINDOW = 3;
    public static final int REASON_HINT = 4;

    public final MemorySegment segment;

    /** @param pstateReg Unicorn's register number of PSTATE (ARM) or EFLAGS (x86), read for the IRQ window */
    public ShimState(Arena arena, int pstateReg) {
        segment = arena.allocate(SIZE, 8);
        segment.set(JAVA_LONG, PSTATE_REG, pstateReg);
    }

    public void requestStop() {
        JAVA_LONG.varHandle().setVolatile(segment, STOP_REQUEST, 1L);
    }

    public void clearStop() {
        JAVA_LONG.varHandle().setVolatile(segment, STOP_REQUEST, 0L);
    }

    public boolean stopRequested() {
        return (long) JAVA_LONG.varHandle().getVolatile(segment, STOP_REQUEST) != 0;
    }

    public void irqWindow(boolean on) {
        JAVA_LONG.varHandle().setVolatile(segment, IRQ_WINDOW, on ? 1L : 0L);
    }

    public long icount() {
        return segment.get(JAVA_LONG, ICOUNT);
    }

    public void deadline(long icount) {
        segment.set(JAVA_LONG, DEADLINE, icount);
    }

    public long reason() {
        return segment.get(JAVA_LONG, STOP_REASON);
    }

    public void reason(long r) {
        segment.set(JAVA_LONG, STOP_REASON, r);
    }

    void javaSysHook(MemorySegment upcall) {
        segment.set(java.lang.foreign.ValueLayout.ADDRESS, JAVA_SYS, upcall);
    }

    long sysFiltered() {
        return segment.get(JAVA_LONG, SYS_FILTERED);
    }

    long tlbi() {
        return segment.get(JAVA_LONG, TLBI);
    }

    long ic() {
        return segment.get(JAVA_LONG, IC);
    }

    void yieldOnHint(boolean on) {
        segment.set(JAVA_LONG, YIELD_ON_HINT, on ? 1L : 0L);
    }

    /** Forgets a hint seen just before the previous slice ended. */
    void clearHintPending() {
        segment.set(JAVA_LONG, HINT_PENDING, 0L);
    }

    long hintStops() {
        return segment.get(JAVA_LONG, HINT_STOPS);
    }

    /** Code may have changed (another VCPU invalidated it): the hint cache starts over. */
    void ageHints() {
        segment.set(JAVA_LONG, HINT_EPOCH, segment.get(JAVA_LONG, HINT_EPOCH) + 1);
    }

    public long blocks() {
        return segment.get(JAVA_LONG, BLOCKS);
    }
}
