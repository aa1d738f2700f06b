package dev.sel4sim.kernel.objects;

import dev.sel4sim.kernel.Arch;

/**
 * Kernel object types that Untyped_Retype can create, with seL4's sizes (log2 bytes) per
 * architecture. Values follow libsel4's constants for 64-bit builds with FPU and hypervisor support
 * (aarch64: TCB 2^11, endpoint 2^4, notification 2^5 or 2^6 with MCS, VCPU 2^12; x86_64: TCB 2^11,
 * VCPU 2^14 for VT-x). Variable-size objects (Untyped, CNode, SchedContext) take the size from the
 * retype request.
 */
public enum ObjectType {
    UNTYPED(-1, -1), TCB(11, 11), ENDPOINT(4, 4), NOTIFICATION(5, 5), CNODE(-1, -1),
    SCHED_CONTEXT(-1, -1), REPLY(5, 5),
    FRAME_4K(12, 12), FRAME_2M(21, 21), FRAME_1G(30, 30),
    PAGE_TABLE(12, 12), VSPACE(12, 12), VCPU(12, 14), ASID_POOL(12, 12);

    private final int aarch64Bits;
    private final int x86Bits;

    ObjectType(int aarch64Bits, int x86Bits) {
        this.aarch64Bits = aarch64Bits;
        this.x86Bits = x86Bits;
    }

    /** seL4_SlotBits on 64-bit: a CNode slot is 32 bytes. */
    public static final int SLOT_BITS = 5;
    /** seL4_MinUntypedBits and seL4_MaxUntypedBits (64-bit). */
    public static final int MIN_UNTYPED_BITS = 4, MAX_UNTYPED_BITS = 47;
    /** seL4_MinSchedContextBits (64-bit). */
    public static final int MIN_SCHED_CONTEXT_BITS = 7;

    public boolean variableSize() {
        return aarch64Bits < 0;
    }

    /**
     * Size in log2 bytes of one object of this type. {@code userSize} is the retype request's size
     * argument: bits of an Untyped or SchedContext, radix (log2 slots) of a CNode; ignored otherwise.
     */
    public int sizeBits(Arch arch, int userSize, boolean mcs, int paBits) {
        return switch (this) {
            case UNTYPED, SCHED_CONTEXT -> userSize;
            case CNODE -> userSize + SLOT_BITS;
            case NOTIFICATION -> mcs ? 6 : 5;
            // A 40-bit IPA stage-2 starts at level 1 with two concatenated tables (seL4_VSpaceBits 13).
            case VSPACE -> arch == Arch.AARCH64 && paBits == 40 ? 13 : 12;
            default -> arch == Arch.X86_64 ? x86Bits : aarch64Bits;
        };
    }

    /** Name as in seL4's object type enum, for error messages. */
    public String sel4Name() {
        return switch (this) {
            case UNTYPED -> "seL4_UntypedObject";
            case TCB -> "seL4_TCBObject";
            case ENDPOINT -> "seL4_EndpointObject";
            case NOTIFICATION -> "seL4_NotificationObject";
            case CNODE -> "seL4_CapTableObject";
            case SCHED_CONTEXT -> "seL4_SchedContextObject";
            case REPLY -> "seL4_ReplyObject";
            case FRAME_4K -> "seL4_ARM_SmallPageObject";
            case FRAME_2M -> "seL4_ARM_LargePageObject";
            case FRAME_1G -> "seL4_ARM_HugePageObject";
            case PAGE_TABLE -> "seL4_ARM_PageTableObject";
            case VSPACE -> "seL4_ARM_VSpaceObject";
            case VCPU -> "seL4_ARM_VCPUObject";
            case ASID_POOL -> "seL4_ASIDPoolObject";
        };
    }
}
