package dev.sel4sim.system.config;

import com.typesafe.config.Config;
import dev.sel4sim.kernel.actor.Supervision;

/**
 * A native component: its kind (what it does), the core it is pinned to, its seL4 priority, an
 * optional MCS budget per period, its supervision policy and its kind-specific settings.
 */
public record ComponentSpec(String name, String kind, int core, int priority, long budgetNs, long periodNs,
                            Supervision supervision, Config settings, int line) {
    public boolean hasBudget() {
        return periodNs > 0;
    }
}
