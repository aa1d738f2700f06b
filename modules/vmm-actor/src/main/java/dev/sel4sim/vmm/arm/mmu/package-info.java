/**
 * VMSAv8-64 stage-1 translation of the EL1&amp;0 regime, done by the VMM on the guest's own page tables,
 * and the exception syndromes (ESR_EL1) of the aborts it finds.
 *
 * <p>The CPU back end reports aborts without their kind or level, so the VMM walks the tables itself to
 * tell a translation fault from an access-flag or permission fault, and at which level. Facts from the
 * Arm Architecture Reference Manual (DDI 0487): D5 (VMSAv8-64 translation) and the ESR_EL1 description.
 */
package dev.sel4sim.vmm.arm.mmu;
