package dev.sel4sim.vmm.arm;

import java.util.HashSet;
import java.util.List;

/**
 * The MPIDR affinity of each VCPU, in VCPU order. The GIC routes SPIs and SGIs by it (GICv3) and PSCI
 * finds CPU_ON targets by it.
 *
 * @param affinities per VCPU, MPIDR_EL1 layout with only the affinity fields: Aff3 [39:32], Aff2 [23:16],
 *                   Aff1 [15:8], Aff0 [7:0]
 */
public record CpuTopology(List<Long> affinities) {

    /** The affinity fields of MPIDR_EL1. */
    public static final long AFFINITY_MASK = 0xFF_00FF_FFFFL;

    /** Checks the list is non-empty, holds only affinity bits and no duplicates; copies it. */
    public CpuTopology {
        affinities = List.copyOf(affinities);
        if (affinities.isEmpty()) {
            throw new IllegalArgumentException("a VM needs at least one VCPU");
        }
        if (new HashSet<>(affinities).size() != affinities.size()) {
            throw new IllegalArgumentException("duplicate VCPU affinity in " + affinities);
        }
        for (long a : affinities) {
            if ((a & ~AFFINITY_MASK) != 0) {
                throw new IllegalArgumentException(String.format("0x%x has bits outside the affinity fields", a));
            }
        }
    }

    /**
     * The layout QEMU's virt board uses: VCPU i has Aff0 = i % clusterSize and Aff1 = i / clusterSize.
     * Use 8 with a GICv2 (its CPU target masks have 8 bits) and 16 with a GICv3 (an SGI target list has 16).
     *
     * @param count       the number of VCPUs, at least 1
     * @param clusterSize VCPUs per Aff1 cluster, 1..256
     * @return the topology
     */
    public static CpuTopology linear(int count, int clusterSize) {
        if (count < 1 || clusterSize < 1 || clusterSize > 256 || count / clusterSize > 255) {
            throw new IllegalArgumentException("bad VCPU count " + count + " or cluster size " + clusterSize);
        }
        Long[] a = new Long[count];
        for (int i = 0; i < count; i++) {
            a[i] = (long) (i % clusterSize) | ((long) (i / clusterSize) << 8);
        }
        return new CpuTopology(List.of(a));
    }

    /** @return the number of VCPUs */
    public int count() {
        return affinities.size();
    }

    /**
     * @param vcpu a VCPU index
     * @return its affinity in MPIDR layout
     */
    public long affinity(int vcpu) {
        return affinities.get(vcpu);
    }

    /**
     * @param vcpu a VCPU index
     * @return its affinity packed as Aff3.Aff2.Aff1.Aff0 in 32 bits, the form of GICR_TYPER[63:32]
     */
    public int packedAffinity(int vcpu) {
        long a = affinity(vcpu);
        return (int) (((a >>> 8) & 0xFF00_0000L) | (a & 0x00FF_FFFFL));
    }

    /**
     * @param affinity an MPIDR value; bits outside the affinity fields are ignored
     * @return the VCPU with that affinity, or -1
     */
    public int vcpuOf(long affinity) {
        return affinities.indexOf(affinity & AFFINITY_MASK);
    }
}
