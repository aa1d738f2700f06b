package dev.sel4sim.boards;

import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The cores of a board.
 *
 * @param model       the core model seL4 is built for on this board (its {@code KernelArmCortex*} flag),
 *                    e.g. {@code "cortex-a53"}; for x86 the micro-architecture
 * @param count       the number of physical cores on the board (all clusters)
 * @param kernelCores the cores the seL4 kernel counts and schedules on (e.g. 4 of the TX2's 6: its Denver
 *                    cores are left off)
 * @param bootCpu     the device-tree node of the core seL4 boots on, e.g. {@code "cpu@0"}
 * @param clusters    the core groups on a heterogeneous board; empty when all cores are alike
 * @param maxCount    for a configurable machine (QEMU), the most cores it can be given
 * @param note        free text (provenance, caveats); may be empty
 */
public record Cpu(String model, int count, int kernelCores, String bootCpu, List<CpuCluster> clusters,
                  OptionalInt maxCount, String note) {

    /** Checks the fields and copies the list. */
    public Cpu {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(bootCpu, "bootCpu");
        Objects.requireNonNull(maxCount, "maxCount");
        Objects.requireNonNull(note, "note");
        clusters = List.copyOf(clusters);
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1");
        }
        if (kernelCores < 1 || kernelCores > count) {
            throw new IllegalArgumentException("kernel-cores must be between 1 and count (" + count + ")");
        }
        if (!clusters.isEmpty() && clusters.stream().mapToInt(CpuCluster::count).sum() != count) {
            throw new IllegalArgumentException("the clusters' core counts must add up to count (" + count + ")");
        }
        if (maxCount.isPresent() && maxCount.getAsInt() < count) {
            throw new IllegalArgumentException("max-count must not be below count (" + count + ")");
        }
    }
}
