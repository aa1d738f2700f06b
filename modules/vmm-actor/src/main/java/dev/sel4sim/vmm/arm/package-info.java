/**
 * Pure-Java models of the AArch64 platform devices a VMM emulates for its guest: the GIC
 * ({@link dev.sel4sim.vmm.arm.gic}), the generic timer ({@link dev.sel4sim.vmm.arm.timer}) and PSCI with the
 * SMC policy ({@link dev.sel4sim.vmm.arm.psci}).
 *
 * <p>None of them knows about the CPU back end: the VMM calls them from MMIO callbacks and from
 * trapped system-register accesses. Access is single-threaded (the VMM serialises it), so there are no
 * locks, and state lives in plain fields so that it can be snapshotted device by device. Values from a
 * guest never make these models throw: unimplemented registers read as zero and ignore writes, and
 * unknown system registers are reported as {@link dev.sel4sim.vmm.arm.SysRegResult.Unknown}.
 */
package dev.sel4sim.vmm.arm;
