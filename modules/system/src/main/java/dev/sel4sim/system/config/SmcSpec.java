package dev.sel4sim.system.config;

import java.util.List;
import java.util.Optional;

/**
 * A VM's SMC policy as written: {@code deny} (every SMC gets NOT_SUPPORTED), {@code emulate} (the
 * listed function IDs get fixed results) or {@code allow} (the listed IDs go to the board's
 * firmware model, or get fixed results where given). PSCI and the SMCCC architecture calls are
 * the VMM's own and never reach the policy.
 */
public record SmcSpec(String policy, List<Call> calls, int line) {
    /** One listed function ID, with the x0-x3 it returns when they are given. */
    public record Call(long id, Optional<long[]> results, int line) {
    }

    public SmcSpec {
        calls = List.copyOf(calls);
    }
}
