package dev.sel4sim.vmm.x86.cpu.unicorn;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The slice state the shim's {@code sel4sim_x86_block_hook} reads and writes: the head of the
 * shim's {@code struct sel4sim_slice} (the ARM fields after it are allocated but unused).
 */
final class X86ShimState {
    /** sizeof(struct sel4sim_slice): fifteen 64-bit fields and the 1024-entry hint cache. */
    private static final long SIZE = 15 * 8 + 1024 * 24;
    private static final long STOP_REQUEST = 0;
    private static final long ICOUNT = 8;
    private static final long DEADLINE = 16;
    private static final long IRQ_WINDOW = 24;
    private static final long FLAGS_REG = 32;
    private static final long STOP_REASON = 40;
    private static final long BLOCKS = 48;

    static final long REASON_NONE = 0;
    static final long REASON_REQUEST = 1;
    static final long REASON_DEADLINE = 2;
    static final long REASON_IRQ_WINDOW = 3;

    final MemorySegment segment;

    X86ShimState(Arena arena, int eflagsReg) {
        segment = arena.allocate(SIZE, 8);
        segment.set(JAVA_LONG, FLAGS_REG, eflagsReg);
    }

    void requestStop() {
        JAVA_LONG.varHandle().setVolatile(segment, STOP_REQUEST, 1L);
    }

    boolean takeStopRequest() {
        boolean was = (long) JAVA_LONG.varHandle().getVolatile(segment, STOP_REQUEST) != 0;
        JAVA_LONG.varHandle().setVolatile(segment, STOP_REQUEST, 0L);
        return was;
    }

    void irqWindow(boolean on) {
        JAVA_LONG.varHandle().setVolatile(segment, IRQ_WINDOW, on ? 1L : 0L);
    }

    long icount() {
        return segment.get(JAVA_LONG, ICOUNT);
    }

    void deadline(long icount) {
        segment.set(JAVA_LONG, DEADLINE, icount);
    }

    long reason() {
        return segment.get(JAVA_LONG, STOP_REASON);
    }

    void reason(long r) {
        segment.set(JAVA_LONG, STOP_REASON, r);
    }

    long blocks() {
        return segment.get(JAVA_LONG, BLOCKS);
    }
}
