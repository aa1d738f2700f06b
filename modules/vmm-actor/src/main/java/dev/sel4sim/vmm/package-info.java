/** The VMM actor per VM, VCPU actors and the CPU back end (issue 3). */
package dev.sel4sim.vmm;
