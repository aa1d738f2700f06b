package dev.sel4sim.boards;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * An ARM Generic Interrupt Controller.
 *
 * <p>A GICv2 has a distributor (GICD), a memory-mapped CPU interface (GICC) and, with the virtualisation
 * extensions, a hypervisor control interface (GICH) and a virtual CPU interface (GICV). A GICv3 has a
 * distributor and redistributors (GICR); its CPU interface is system registers, though some SoCs keep the
 * legacy GICC/GICH/GICV windows as well.
 *
 * @param version        2 or 3
 * @param distributor    GICD
 * @param redistributor  GICR (GICv3 only)
 * @param cpuInterface   GICC (required for GICv2)
 * @param vcpuInterface  GICV, the virtual CPU interface a guest sees (required for GICv2)
 * @param hypInterface   GICH, the hypervisor control interface (required for GICv2)
 * @param maintenanceIrq the virtual-interface maintenance interrupt as an INTID (normally PPI 9 = INTID 25)
 * @param lines          the number of INTIDs the GIC implements (32 + SPIs), when known
 */
public record Gic(int version, MemoryRegion distributor, Optional<MemoryRegion> redistributor,
                  Optional<MemoryRegion> cpuInterface, Optional<MemoryRegion> vcpuInterface,
                  Optional<MemoryRegion> hypInterface, int maintenanceIrq, OptionalInt lines)
        implements InterruptController {

    /** Checks that the version has the windows it needs. */
    public Gic {
        Objects.requireNonNull(distributor, "distributor");
        Objects.requireNonNull(redistributor, "redistributor");
        Objects.requireNonNull(cpuInterface, "cpuInterface");
        Objects.requireNonNull(vcpuInterface, "vcpuInterface");
        Objects.requireNonNull(hypInterface, "hypInterface");
        Objects.requireNonNull(lines, "lines");
        switch (version) {
            case 2 -> {
                if (cpuInterface.isEmpty() || vcpuInterface.isEmpty() || hypInterface.isEmpty()) {
                    throw new IllegalArgumentException(
                            "a GICv2 needs cpu-interface, vcpu-interface and hyp-interface");
                }
                if (redistributor.isPresent()) {
                    throw new IllegalArgumentException("a GICv2 has no redistributor");
                }
            }
            case 3 -> {
                if (redistributor.isEmpty()) {
                    throw new IllegalArgumentException("a GICv3 needs a redistributor");
                }
            }
            default -> throw new IllegalArgumentException("GIC version must be 2 or 3, got " + version);
        }
        if (maintenanceIrq < 16 || maintenanceIrq > 31) {
            throw new IllegalArgumentException("maintenance-irq must be a PPI INTID (16..31)");
        }
        if (lines.isPresent() && (lines.getAsInt() < 32 || lines.getAsInt() > 1020)) {
            throw new IllegalArgumentException("lines must be between 32 and 1020");
        }
    }

    /** @return the number of shared peripheral interrupts, when the GIC's size is known */
    public OptionalInt spiCount() {
        return lines.isPresent() ? OptionalInt.of(lines.getAsInt() - 32) : OptionalInt.empty();
    }
}
