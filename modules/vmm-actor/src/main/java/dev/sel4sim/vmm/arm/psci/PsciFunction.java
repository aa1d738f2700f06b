package dev.sel4sim.vmm.arm.psci;

/**
 * Function IDs of PSCI (DEN0022: standard secure service calls, owner 4) and of the SMCCC Arm
 * architecture calls (DEN0028: owner 0). {@code _64} names the SMC64 variant.
 */
public final class PsciFunction {

    public static final int PSCI_VERSION = 0x8400_0000;
    public static final int CPU_SUSPEND = 0x8400_0001;
    public static final int CPU_SUSPEND_64 = 0xC400_0001;
    public static final int CPU_OFF = 0x8400_0002;
    public static final int CPU_ON = 0x8400_0003;
    public static final int CPU_ON_64 = 0xC400_0003;
    public static final int AFFINITY_INFO = 0x8400_0004;
    public static final int AFFINITY_INFO_64 = 0xC400_0004;
    public static final int MIGRATE = 0x8400_0005;
    public static final int MIGRATE_64 = 0xC400_0005;
    public static final int MIGRATE_INFO_TYPE = 0x8400_0006;
    public static final int MIGRATE_INFO_UP_CPU = 0x8400_0007;
    public static final int MIGRATE_INFO_UP_CPU_64 = 0xC400_0007;
    public static final int SYSTEM_OFF = 0x8400_0008;
    public static final int SYSTEM_RESET = 0x8400_0009;
    public static final int PSCI_FEATURES = 0x8400_000A;
    public static final int CPU_FREEZE = 0x8400_000B;
    public static final int CPU_DEFAULT_SUSPEND = 0x8400_000C;
    public static final int CPU_DEFAULT_SUSPEND_64 = 0xC400_000C;
    public static final int NODE_HW_STATE = 0x8400_000D;
    public static final int NODE_HW_STATE_64 = 0xC400_000D;
    public static final int SYSTEM_SUSPEND = 0x8400_000E;
    public static final int SYSTEM_SUSPEND_64 = 0xC400_000E;
    public static final int PSCI_SET_SUSPEND_MODE = 0x8400_000F;
    public static final int PSCI_STAT_RESIDENCY = 0x8400_0010;
    public static final int PSCI_STAT_RESIDENCY_64 = 0xC400_0010;
    public static final int PSCI_STAT_COUNT = 0x8400_0011;
    public static final int PSCI_STAT_COUNT_64 = 0xC400_0011;
    public static final int SYSTEM_RESET2 = 0x8400_0012;
    public static final int SYSTEM_RESET2_64 = 0xC400_0012;

    public static final int SMCCC_VERSION = 0x8000_0000;
    public static final int SMCCC_ARCH_FEATURES = 0x8000_0001;
    public static final int SMCCC_ARCH_SOC_ID = 0x8000_0002;
    public static final int SMCCC_ARCH_WORKAROUND_1 = 0x8000_8000;
    public static final int SMCCC_ARCH_WORKAROUND_2 = 0x8000_7FFF;
    public static final int SMCCC_ARCH_WORKAROUND_3 = 0x8000_3FFF;

    /** PSCI_VERSION's answer: 1.0 (major in [31:16], minor in [15:0]). */
    public static final long VERSION_1_0 = 0x0001_0000;
    /** SMCCC_VERSION's answer: 1.1. */
    public static final long SMCCC_1_1 = 0x0001_0001;
    /** MIGRATE_INFO_TYPE's answer: a Trusted OS is not present or does not need migration. */
    public static final long MIGRATE_TYPE_NOT_PRESENT = 2;

    private PsciFunction() {
    }
}
