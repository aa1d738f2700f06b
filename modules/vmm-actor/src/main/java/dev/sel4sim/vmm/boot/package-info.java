/**
 * Boot images and where they go: the arm64 Linux Image header, ELF64 AArch64 executables, and the placement of
 * kernel, device tree and initrd in guest RAM ({@link dev.sel4sim.vmm.boot.BootLayout}).
 */
package dev.sel4sim.vmm.boot;
