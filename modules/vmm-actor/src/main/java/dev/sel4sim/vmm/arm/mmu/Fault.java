package dev.sel4sim.vmm.arm.mmu;

import java.util.Objects;

/**
 * A stage-1 abort found by the walker or the alignment check.
 *
 * @param kind the fault class
 * @param level the lookup level 0-3 at which it arose; 0 for faults before the walk (and ignored for
 *     alignment and for external aborts not on a walk)
 * @param onTableWalk true when a table descriptor read failed (synchronous external abort on the walk)
 * @param access what was being done
 * @param writeNotRead the WnR bit as the architecture reports it: 1 for writes and every cache maintenance
 *     instruction, and for an atomic only when its read would not have faulted
 */
public record Fault(FaultKind kind, int level, boolean onTableWalk, AccessType access, boolean writeNotRead)
        implements WalkResult {

    public Fault {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(access, "access");
        if (level < 0 || level > 3) {
            throw new IllegalArgumentException("level must be 0..3: " + level);
        }
    }

    /**
     * A fault for an access.
     *
     * @param onWritePart for {@link AccessType#READ_WRITE}: the read would have been allowed and the write
     *     is what failed (only a permission fault can be that)
     */
    public static Fault of(FaultKind kind, int level, boolean onTableWalk, AccessType access, boolean onWritePart) {
        boolean wnr = switch (access) {
            case WRITE, CACHE_MAINTENANCE, CACHE_INVALIDATE -> true;
            case READ_WRITE -> onWritePart;
            case READ, EXECUTE -> false;
        };
        return new Fault(kind, level, onTableWalk, access, wnr);
    }

    /** The 6-bit DFSC/IFSC for this fault. */
    public int statusCode() {
        return switch (kind) {
            case ADDRESS_SIZE -> level;
            case TRANSLATION -> 0b000100 | level;
            case ACCESS_FLAG -> 0b001000 | level;
            case PERMISSION -> 0b001100 | level;
            case ALIGNMENT -> 0b100001;
            case SYNC_EXTERNAL_ABORT -> onTableWalk ? 0b010100 | level : 0b010000;
        };
    }
}
