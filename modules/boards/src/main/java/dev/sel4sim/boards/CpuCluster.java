package dev.sel4sim.boards;

import java.util.Objects;

/**
 * A group of identical cores on a heterogeneous board (big.LITTLE, or NVIDIA Denver beside Cortex-A57).
 *
 * @param name  a short label, e.g. {@code "a7"} or {@code "denver"}
 * @param model the core model, e.g. {@code "cortex-a7"}
 * @param count the number of cores in the group
 */
public record CpuCluster(String name, String model, int count) {

    /** Checks the fields. */
    public CpuCluster {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(model, "model");
        if (count < 1) {
            throw new IllegalArgumentException("cluster " + name + ": count must be at least 1");
        }
    }
}
