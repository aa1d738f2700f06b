package dev.sel4sim.vmm.x86.boot;

/**
 * A loaded Multiboot 2 kernel: where to enter it and what to put in EBX.
 *
 * @param entry       the physical entry point (EIP, with flat segments and paging off)
 * @param infoAddress the physical address of the boot information (EBX), 8-byte aligned
 * @param imageEnd    the first byte after the kernel image and its bss
 * @param modulesEnd  the first byte after the last module (imageEnd when there are none)
 * @param header      the kernel's header
 */
public record Multiboot2Boot(long entry, long infoAddress, long imageEnd, long modulesEnd, Multiboot2Header header) {
}
