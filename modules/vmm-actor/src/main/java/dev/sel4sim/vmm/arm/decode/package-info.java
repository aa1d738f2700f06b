/**
 * Decoding of A64 load/store and cache-maintenance instructions into the memory access they perform.
 *
 * <p>The CPU back end reports data aborts without a fault address or syndrome, so the VMM decodes the
 * faulting instruction here to learn the virtual address, size, direction and registers involved.
 * Encodings follow the Arm Architecture Reference Manual (DDI 0487), section C4.1, "Loads and Stores",
 * and the SYS encodings of the data and instruction cache maintenance instructions.
 */
package dev.sel4sim.vmm.arm.decode;
