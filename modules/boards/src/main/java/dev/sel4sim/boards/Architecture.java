package dev.sel4sim.boards;

import java.util.Arrays;
import java.util.Optional;

/** The instruction-set architecture seL4 (and its guests) run in on a board. */
public enum Architecture {
    /** 64-bit ARM (ARMv8-A AArch64). */
    AARCH64("aarch64"),
    /** 32-bit ARM (ARMv7-A, or ARMv8-A in AArch32 state); with the virtualisation extensions for seL4's arm_hyp. */
    AARCH32("aarch32"),
    /** 64-bit x86 (seL4's pc99 platform). */
    X86_64("x86_64");

    private final String configName;

    Architecture(String configName) {
        this.configName = configName;
    }

    /** @return the spelling used in board files, e.g. {@code "aarch64"} */
    public String configName() {
        return configName;
    }

    /** @return true for the two ARM architectures */
    public boolean isArm() {
        return this != X86_64;
    }

    /**
     * @param name a board file's spelling
     * @return the architecture, if the name is known
     */
    public static Optional<Architecture> fromConfigName(String name) {
        return Arrays.stream(values()).filter(a -> a.configName.equals(name)).findFirst();
    }
}
