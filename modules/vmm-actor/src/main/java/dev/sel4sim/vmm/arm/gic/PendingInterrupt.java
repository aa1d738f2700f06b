package dev.sel4sim.vmm.arm.gic;

/**
 * The highest-priority interrupt pending for one CPU interface.
 *
 * @param intid     its INTID
 * @param sourceCpu for a GICv2 SGI the CPU interface that sent it, else 0
 * @param priority  its priority (bits [7:3])
 * @param group1    whether it is in group 1
 */
public record PendingInterrupt(int intid, int sourceCpu, int priority, boolean group1) {
}
