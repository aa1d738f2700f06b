/**
 * The Arm generic timer of one VCPU (Arm ARM chapter D11): the system counter derived from simulated
 * time, the EL1 virtual and physical timers, and their interrupt lines (PPI 27 and PPI 30), all driven
 * by the VMM from trapped system-register accesses.
 */
package dev.sel4sim.vmm.arm.timer;
