package dev.sel4sim.boards;

import java.util.Arrays;
import java.util.Optional;

/** What a VMM does with a guest's SMC by default. */
public enum SmcMode {
    /** Refuse every SMC (seL4's default: {@code KernelAllowSMCCalls} is off). */
    DENY("deny"),
    /** Forward only the listed function IDs to the secure monitor; refuse the rest. */
    ALLOW_LIST("allow-list"),
    /** Answer in the VMM without reaching a secure monitor. */
    EMULATE("emulate");

    private final String configName;

    SmcMode(String configName) {
        this.configName = configName;
    }

    /** @return the spelling used in board files */
    public String configName() {
        return configName;
    }

    /**
     * @param name a board file's spelling
     * @return the mode, if known
     */
    public static Optional<SmcMode> fromConfigName(String name) {
        return Arrays.stream(values()).filter(m -> m.configName.equals(name)).findFirst();
    }
}
