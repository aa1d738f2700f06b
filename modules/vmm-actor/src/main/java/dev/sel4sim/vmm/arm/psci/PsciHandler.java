package dev.sel4sim.vmm.arm.psci;

import dev.sel4sim.vmm.arm.CpuTopology;
import java.util.Set;

/**
 * PSCI 1.0 (DEN0022) and the SMCCC 1.1 architecture calls (DEN0028) as a VMM answers them for its
 * guest: VERSION, CPU_SUSPEND (as WFI), CPU_OFF, CPU_ON, AFFINITY_INFO, MIGRATE_INFO_TYPE (no Trusted OS),
 * SYSTEM_OFF, SYSTEM_RESET, PSCI_FEATURES, SMCCC_VERSION and SMCCC_ARCH_FEATURES. Every other function ID
 * gets NOT_SUPPORTED. Arguments of SMC32 calls are taken from the low 32 bits of x1..x3. The handler keeps
 * no state: power states come from the VMM with each call.
 */
public final class PsciHandler {

    private static final int OWNER_ARM_ARCH = 0;
    private static final int OWNER_STANDARD_SECURE = 4;
    /** PSCI takes function numbers 0x00-0x1F of the standard secure service range. */
    private static final int PSCI_FUNCTION_LIMIT = 0x20;

    private final CpuTopology topology;
    private final Set<Integer> workarounds;

    /**
     * @param topology    the VCPUs' MPIDR affinities, for CPU_ON and AFFINITY_INFO targets
     * @param workarounds the SMCCC_ARCH_WORKAROUND_n function IDs to report as implemented (each is then
     *                    a no-op call); usually empty, so SMCCC_ARCH_FEATURES answers NOT_SUPPORTED
     */
    public PsciHandler(CpuTopology topology, Set<Integer> workarounds) {
        this.topology = topology;
        this.workarounds = Set.copyOf(workarounds);
    }

    /** A handler reporting no architecture workarounds. */
    public PsciHandler(CpuTopology topology) {
        this(topology, Set.of());
    }

    /**
     * @param functionId a function ID from w0
     * @return whether the ID is in the ranges this handler answers (Arm architecture calls, and the PSCI
     *         part of the standard secure service calls), whether or not it implements the function
     */
    public static boolean handles(int functionId) {
        SmccFunctionId id = new SmccFunctionId(functionId);
        return id.fast() && (id.owner() == OWNER_ARM_ARCH
                || (id.owner() == OWNER_STANDARD_SECURE && id.functionNumber() < PSCI_FUNCTION_LIMIT));
    }

    /**
     * Answers one call.
     *
     * @param functionId the function ID from w0
     * @param x1         the first argument
     * @param x2         the second argument
     * @param x3         the third argument
     * @param states     the VCPUs' power states now
     * @return x0 and the action for the VMM; never null
     */
    public PsciResult handle(int functionId, long x1, long x2, long x3, VcpuPowerStates states) {
        boolean smc64 = (functionId & 0x4000_0000) != 0;
        long a1 = smc64 ? x1 : x1 & 0xFFFF_FFFFL;
        long a2 = smc64 ? x2 : x2 & 0xFFFF_FFFFL;
        long a3 = smc64 ? x3 : x3 & 0xFFFF_FFFFL;
        return switch (functionId) {
            case PsciFunction.PSCI_VERSION -> PsciResult.value(PsciFunction.VERSION_1_0);
            case PsciFunction.CPU_SUSPEND, PsciFunction.CPU_SUSPEND_64 ->
                    new PsciResult(PsciReturn.SUCCESS, new PsciAction.Wfi());
            case PsciFunction.CPU_OFF -> new PsciResult(PsciReturn.DENIED, new PsciAction.CpuOff());
            case PsciFunction.CPU_ON, PsciFunction.CPU_ON_64 -> cpuOn(a1, a2, a3, states);
            case PsciFunction.AFFINITY_INFO, PsciFunction.AFFINITY_INFO_64 -> affinityInfo(a1, a2, states);
            case PsciFunction.MIGRATE_INFO_TYPE -> PsciResult.value(PsciFunction.MIGRATE_TYPE_NOT_PRESENT);
            case PsciFunction.SYSTEM_OFF -> new PsciResult(PsciReturn.SUCCESS, new PsciAction.SystemOff());
            case PsciFunction.SYSTEM_RESET -> new PsciResult(PsciReturn.SUCCESS, new PsciAction.SystemReset());
            case PsciFunction.PSCI_FEATURES ->
                    PsciResult.value(implemented((int) a1) ? PsciReturn.SUCCESS : PsciReturn.NOT_SUPPORTED);
            case PsciFunction.SMCCC_VERSION -> PsciResult.value(PsciFunction.SMCCC_1_1);
            case PsciFunction.SMCCC_ARCH_FEATURES ->
                    PsciResult.value(workarounds.contains((int) a1) ? PsciReturn.SUCCESS : PsciReturn.NOT_SUPPORTED);
            case PsciFunction.SMCCC_ARCH_WORKAROUND_1, PsciFunction.SMCCC_ARCH_WORKAROUND_2,
                 PsciFunction.SMCCC_ARCH_WORKAROUND_3 ->
                    PsciResult.value(workarounds.contains(functionId) ? PsciReturn.SUCCESS : PsciReturn.NOT_SUPPORTED);
            default -> PsciResult.value(PsciReturn.NOT_SUPPORTED);
        };
    }

    /** The functions PSCI_FEATURES reports; CPU_SUSPEND's feature flags are 0 (original power_state format). */
    private static boolean implemented(int functionId) {
        return switch (functionId) {
            case PsciFunction.PSCI_VERSION, PsciFunction.CPU_SUSPEND, PsciFunction.CPU_SUSPEND_64,
                 PsciFunction.CPU_OFF, PsciFunction.CPU_ON, PsciFunction.CPU_ON_64, PsciFunction.AFFINITY_INFO,
                 PsciFunction.AFFINITY_INFO_64, PsciFunction.MIGRATE_INFO_TYPE, PsciFunction.SYSTEM_OFF,
                 PsciFunction.SYSTEM_RESET, PsciFunction.PSCI_FEATURES, PsciFunction.SMCCC_VERSION -> true;
            default -> false;
        };
    }

    private PsciResult cpuOn(long target, long entry, long contextId, VcpuPowerStates states) {
        int vcpu = (target & ~CpuTopology.AFFINITY_MASK) == 0 ? topology.vcpuOf(target) : -1;
        if (vcpu < 0) {
            return PsciResult.value(PsciReturn.INVALID_PARAMETERS);
        }
        return switch (states.state(vcpu)) {
            case ON -> PsciResult.value(PsciReturn.ALREADY_ON);
            case ON_PENDING -> PsciResult.value(PsciReturn.ON_PENDING);
            case OFF -> new PsciResult(PsciReturn.SUCCESS, new PsciAction.CpuOn(vcpu, entry, contextId));
        };
    }

    /**
     * AFFINITY_INFO(target_affinity, lowest_affinity_level): at level n the affinity fields below Aff n
     * are ignored, and the answer is ON if any VCPU in the group is on, else ON_PENDING if any is starting,
     * else OFF.
     */
    private PsciResult affinityInfo(long target, long level, VcpuPowerStates states) {
        if (level < 0 || level > 3 || (target & ~CpuTopology.AFFINITY_MASK) != 0) {
            return PsciResult.value(PsciReturn.INVALID_PARAMETERS);
        }
        long ignored = switch ((int) level) {
            case 0 -> 0;
            case 1 -> 0xFFL;
            case 2 -> 0xFFFFL;
            default -> 0xFF_FFFFL;
        };
        boolean any = false;
        boolean pending = false;
        for (int v = 0; v < topology.count(); v++) {
            if ((topology.affinity(v) & ~ignored) != (target & ~ignored)) {
                continue;
            }
            PowerState s = states.state(v);
            if (s == PowerState.ON) {
                return PsciResult.value(PowerState.ON.affinityInfo());
            }
            any = true;
            pending |= s == PowerState.ON_PENDING;
        }
        if (!any) {
            return PsciResult.value(PsciReturn.INVALID_PARAMETERS);
        }
        return PsciResult.value(pending ? PowerState.ON_PENDING.affinityInfo() : PowerState.OFF.affinityInfo());
    }
}
