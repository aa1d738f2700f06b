package dev.sel4sim.vmm.arm.psci;

import java.util.Map;
import java.util.Optional;

/**
 * An SMC Calling Convention function ID taken apart (DEN0028 section 2.5): bit 31 fast (1) or yielding
 * (0) call, bit 30 SMC64 (1) or SMC32 (0), bits [29:24] the owning entity, bits [23:16] zero for fast calls
 * except bit 16, the SVE live-state hint of SMCCC 1.3, and bits [15:0] the function number. Its
 * {@link #toString()} is the text for log lines, e.g.
 * {@code 0xc2000006 (fast, SMC64, SiP service, function 6)}.
 *
 * @param id the 32-bit function ID from w0
 */
public record SmccFunctionId(int id) {

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(PsciFunction.SMCCC_VERSION, "SMCCC_VERSION"),
            Map.entry(PsciFunction.SMCCC_ARCH_FEATURES, "SMCCC_ARCH_FEATURES"),
            Map.entry(PsciFunction.SMCCC_ARCH_SOC_ID, "SMCCC_ARCH_SOC_ID"),
            Map.entry(PsciFunction.SMCCC_ARCH_WORKAROUND_1, "SMCCC_ARCH_WORKAROUND_1"),
            Map.entry(PsciFunction.SMCCC_ARCH_WORKAROUND_2, "SMCCC_ARCH_WORKAROUND_2"),
            Map.entry(PsciFunction.SMCCC_ARCH_WORKAROUND_3, "SMCCC_ARCH_WORKAROUND_3"),
            Map.entry(PsciFunction.PSCI_VERSION, "PSCI_VERSION"),
            Map.entry(PsciFunction.CPU_SUSPEND, "PSCI CPU_SUSPEND"),
            Map.entry(PsciFunction.CPU_SUSPEND_64, "PSCI CPU_SUSPEND"),
            Map.entry(PsciFunction.CPU_OFF, "PSCI CPU_OFF"),
            Map.entry(PsciFunction.CPU_ON, "PSCI CPU_ON"),
            Map.entry(PsciFunction.CPU_ON_64, "PSCI CPU_ON"),
            Map.entry(PsciFunction.AFFINITY_INFO, "PSCI AFFINITY_INFO"),
            Map.entry(PsciFunction.AFFINITY_INFO_64, "PSCI AFFINITY_INFO"),
            Map.entry(PsciFunction.MIGRATE, "PSCI MIGRATE"),
            Map.entry(PsciFunction.MIGRATE_64, "PSCI MIGRATE"),
            Map.entry(PsciFunction.MIGRATE_INFO_TYPE, "PSCI MIGRATE_INFO_TYPE"),
            Map.entry(PsciFunction.MIGRATE_INFO_UP_CPU, "PSCI MIGRATE_INFO_UP_CPU"),
            Map.entry(PsciFunction.MIGRATE_INFO_UP_CPU_64, "PSCI MIGRATE_INFO_UP_CPU"),
            Map.entry(PsciFunction.SYSTEM_OFF, "PSCI SYSTEM_OFF"),
            Map.entry(PsciFunction.SYSTEM_RESET, "PSCI SYSTEM_RESET"),
            Map.entry(PsciFunction.PSCI_FEATURES, "PSCI_FEATURES"),
            Map.entry(PsciFunction.CPU_FREEZE, "PSCI CPU_FREEZE"),
            Map.entry(PsciFunction.CPU_DEFAULT_SUSPEND, "PSCI CPU_DEFAULT_SUSPEND"),
            Map.entry(PsciFunction.CPU_DEFAULT_SUSPEND_64, "PSCI CPU_DEFAULT_SUSPEND"),
            Map.entry(PsciFunction.NODE_HW_STATE, "PSCI NODE_HW_STATE"),
            Map.entry(PsciFunction.NODE_HW_STATE_64, "PSCI NODE_HW_STATE"),
            Map.entry(PsciFunction.SYSTEM_SUSPEND, "PSCI SYSTEM_SUSPEND"),
            Map.entry(PsciFunction.SYSTEM_SUSPEND_64, "PSCI SYSTEM_SUSPEND"),
            Map.entry(PsciFunction.PSCI_SET_SUSPEND_MODE, "PSCI_SET_SUSPEND_MODE"),
            Map.entry(PsciFunction.PSCI_STAT_RESIDENCY, "PSCI_STAT_RESIDENCY"),
            Map.entry(PsciFunction.PSCI_STAT_RESIDENCY_64, "PSCI_STAT_RESIDENCY"),
            Map.entry(PsciFunction.PSCI_STAT_COUNT, "PSCI_STAT_COUNT"),
            Map.entry(PsciFunction.PSCI_STAT_COUNT_64, "PSCI_STAT_COUNT"),
            Map.entry(PsciFunction.SYSTEM_RESET2, "PSCI SYSTEM_RESET2"),
            Map.entry(PsciFunction.SYSTEM_RESET2_64, "PSCI SYSTEM_RESET2"),
            Map.entry(0x8400_0050, "TRNG_VERSION"),
            Map.entry(0x8400_0051, "TRNG_FEATURES"),
            Map.entry(0x8400_0052, "TRNG_GET_UUID"),
            Map.entry(0x8400_0053, "TRNG_RND"),
            Map.entry(0xC400_0053, "TRNG_RND"));

    /** @return whether bit 31 marks a fast call (else a yielding call) */
    public boolean fast() {
        return id < 0;
    }

    /** @return whether bit 30 selects the SMC64/HVC64 convention */
    public boolean smc64() {
        return (id & 0x4000_0000) != 0;
    }

    /** @return the owning entity number, bits [29:24] */
    public int owner() {
        return (id >>> 24) & 0x3F;
    }

    /** @return the function number, bits [15:0] */
    public int functionNumber() {
        return id & 0xFFFF;
    }

    /** @return for a fast call, bit 16: the caller holds no live SVE state (SMCCC 1.3) */
    public boolean sveStateNotLive() {
        return fast() && (id & 0x1_0000) != 0;
    }

    /** @return whether a fast call sets bits [23:17], which must be zero */
    public boolean reservedBitsSet() {
        return fast() && (id & 0x00FE_0000) != 0;
    }

    /** @return the owning entity's name, e.g. "SiP service", "standard secure service", "trusted OS" */
    public String ownerName() {
        int o = owner();
        return switch (o) {
            case 0 -> "Arm architecture service";
            case 1 -> "CPU service";
            case 2 -> "SiP service";
            case 3 -> "OEM service";
            case 4 -> "standard secure service";
            case 5 -> "standard hypervisor service";
            case 6 -> "vendor hypervisor service";
            case 7 -> "vendor EL3 monitor service";
            case 48, 49 -> "trusted application";
            default -> o >= 50 ? "trusted OS" : "reserved owner " + o;
        };
    }

    /**
     * @return the call's name when it is a well-known one (Arm architecture calls, PSCI, TRNG, and the
     *         general queries every service range has at functions 0xff00, 0xff01 and 0xff03)
     */
    public Optional<String> name() {
        String known = NAMES.get(id & ~0x1_0000);
        if (known != null) {
            return Optional.of(known);
        }
        if (fast() && !smc64() && (id & 0x00FF_0000) == 0) {
            return switch (functionNumber()) {
                case 0xFF00 -> Optional.of("call count query");
                case 0xFF01 -> Optional.of("UID query");
                case 0xFF03 -> Optional.of("revision query");
                default -> Optional.empty();
            };
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(String.format("0x%08x (", id));
        s.append(fast() ? "fast" : "yielding").append(", ").append(smc64() ? "SMC64" : "SMC32").append(", ")
                .append(ownerName()).append(", function ");
        int n = functionNumber();
        s.append(n < 10 ? Integer.toString(n) : String.format("0x%x", n));
        name().ifPresent(name -> s.append(": ").append(name));
        if (sveStateNotLive()) {
            s.append(", no live SVE state");
        }
        if (reservedBitsSet()) {
            s.append(", reserved bits set");
        }
        return s.append(')').toString();
    }
}
