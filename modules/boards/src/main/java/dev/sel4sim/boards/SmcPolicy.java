package dev.sel4sim.boards;

import java.util.List;
import java.util.Objects;

/**
 * A board's default SMC policy for guests (a VM's configuration may override it). PSCI is emulated by the
 * VMM whatever the policy says.
 *
 * @param mode      the default treatment
 * @param functions function IDs known on this board; under {@link SmcMode#ALLOW_LIST} the ones forwarded
 */
public record SmcPolicy(SmcMode mode, List<SmcFunction> functions) {

    /** Checks the fields and copies the list. */
    public SmcPolicy {
        Objects.requireNonNull(mode, "mode");
        functions = List.copyOf(functions);
        if (functions.stream().map(SmcFunction::id).distinct().count() != functions.size()) {
            throw new IllegalArgumentException("duplicate SMC function ID");
        }
    }

    /**
     * @param functionId an SMC function ID from a guest's x0/r0
     * @return true if the default policy forwards it to the secure monitor
     */
    public boolean allows(long functionId) {
        return mode == SmcMode.ALLOW_LIST && functions.stream().anyMatch(f -> f.id() == functionId);
    }
}
