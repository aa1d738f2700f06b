package dev.sel4sim.vmm.arm.gic;

/** The priority arithmetic of a GIC that implements 5 priority bits. */
public final class GicPriority {

    /** Implemented priority bits. */
    public static final int BITS = 5;
    /** The bits of an 8-bit priority field that are kept: [7:3]. */
    public static final int MASK = (0xFF << (8 - BITS)) & 0xFF;
    /** The running priority of a CPU interface with no active interrupt. */
    public static final int IDLE = 0xFF;
    /** Smallest group 0 binary point: with it every implemented priority level is its own preemption level. */
    public static final int MIN_BPR0 = 7 - BITS;
    /** Smallest group 1 binary point (GICv2 ABPR, GICv3 ICC_BPR1_EL1): one more than group 0's. */
    public static final int MIN_BPR1 = MIN_BPR0 + 1;

    private GicPriority() {
    }

    /**
     * @param bpr a binary point value 0..7
     * @return the bits of a priority that form its group priority, the part that decides preemption
     */
    public static int groupMask(int bpr) {
        return (0xFF << (bpr + 1)) & 0xFF;
    }

    /**
     * @param groupPriority a group priority (bits [7:3] significant)
     * @return its bit in the active-priority registers
     */
    static int level(int groupPriority) {
        return (groupPriority & MASK) >>> (8 - BITS);
    }
}
