/**
 * The device tree an AArch64 VM boots with: {@link dev.sel4sim.vmm.arm.dt.VmDeviceTreeSpec} says what the VM has,
 * {@link dev.sel4sim.vmm.arm.dt.ArmVmDeviceTree} turns it into a DTB.
 */
package dev.sel4sim.vmm.arm.dt;
