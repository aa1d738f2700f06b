/**
 * Flattened device trees: {@link dev.sel4sim.vmm.boot.fdt.FdtWriter} produces a DTB (version 17),
 * {@link dev.sel4sim.vmm.boot.fdt.FdtReader} parses one into immutable records and
 * {@link dev.sel4sim.vmm.boot.fdt.FdtTree#toDts()} prints it as source.
 */
package dev.sel4sim.vmm.boot.fdt;
