package dev.sel4sim.vmm.boot.fdt;

import java.util.List;
import java.util.Objects;

/**
 * A whole device tree as a blob carries it: the memory reservations, the boot CPU's physical id and the
 * root node.
 *
 * @param reservations  the memory reservation block, in order
 * @param bootCpuidPhys the header's {@code boot_cpuid_phys}
 * @param root          the root node (its name is empty)
 */
public record FdtTree(List<FdtReservation> reservations, int bootCpuidPhys, FdtNode root) {

    /** Copies the list. */
    public FdtTree {
        reservations = List.copyOf(reservations);
        Objects.requireNonNull(root, "root");
    }

    /** @return a tree with no reservations and boot CPU 0 */
    public static FdtTree of(FdtNode root) {
        return new FdtTree(List.of(), 0, root);
    }

    /** @return the tree as device tree source text, which {@code dtc -I dts} reads back */
    public String toDts() {
        return DtsPrinter.print(this);
    }
}
