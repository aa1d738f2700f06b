/**
 * The guest's firmware calls: PSCI 1.0 and the SMCCC architecture calls answered by the VMM
 * ({@link dev.sel4sim.vmm.arm.psci.PsciHandler}), the per-VM policy for every other SMC or HVC
 * ({@link dev.sel4sim.vmm.arm.psci.SmcPolicy}, applied by {@link dev.sel4sim.vmm.arm.psci.SmcGate}), and a
 * decoder that names any SMCCC function ID for log lines ({@link dev.sel4sim.vmm.arm.psci.SmccFunctionId}).
 *
 * <p>The VMM's flow for an SMC or HVC with function ID {@code w0}: if
 * {@link dev.sel4sim.vmm.arm.psci.PsciHandler#handles(int)} is true, let the handler answer and carry out its
 * action; otherwise ask the gate, and log the call (with the decoded ID) the first time it is seen.
 * Return values follow SMCCC: negative codes are sign-extended to 64 bits in x0.
 */
package dev.sel4sim.vmm.arm.psci;
