/**
 * GIC emulation for a VM: {@link dev.sel4sim.vmm.arm.gic.GicV2} (distributor and memory-mapped CPU
 * interface, up to 8 VCPUs) and {@link dev.sel4sim.vmm.arm.gic.GicV3} (distributor, one redistributor per
 * VCPU and the ICC system-register CPU interface), both over one state machine,
 * {@link dev.sel4sim.vmm.arm.gic.GicCore}.
 *
 * <h2>Model choices</h2>
 * <ul>
 *   <li>One security state: GICv2 without the Security Extensions, GICv3 with GICD_CTLR.DS = 1 and
 *       affinity routing always on (ARE reads as one). Group 0 and group 1 both exist; a GICv3 signals
 *       group 1 as IRQ and group 0 as FIQ, a GICv2 signals everything as IRQ unless GICC_CTLR.FIQEn sends
 *       group 0 to FIQ.</li>
 *   <li>5 priority bits (32 levels, priority values are multiples of 8), as in GIC-400 and many GIC-500
 *       integrations: IPRIORITYR and PMR keep bits [7:3], the minimum binary point is 2 for group 0
 *       and 3 for group 1, and the active-priority registers APR0/AP0R0/AP1R0 hold one bit per level
 *       (bit n for priority {@code n << 3}).</li>
 *   <li>No LPIs, no ITS, no 1-of-N SPI routing (GICD_TYPER.No1N = 1).</li>
 *   <li>A GICv2 SGI keeps one pending bit per source CPU, but one active bit per target: a second source's
 *       SGI waits until the first is deactivated (Linux never nests SGIs).</li>
 *   <li>A GICv3 redistributor whose GICR_WAKER.ProcessorSleep is set (its reset state) forwards nothing
 *       to its CPU interface; Linux clears it early in its GIC set-up.</li>
 * </ul>
 *
 * <p>Every access from a guest is accepted: reads of unimplemented offsets return 0, writes to them
 * are ignored, and sizes or alignments the GIC does not support behave the same way.
 */
package dev.sel4sim.vmm.arm.gic;
