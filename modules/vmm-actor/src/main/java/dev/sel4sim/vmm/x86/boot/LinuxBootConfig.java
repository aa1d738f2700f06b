package dev.sel4sim.vmm.x86.boot;

import java.util.List;

/**
 * What the loader needs besides the images: the command line, the memory map and where RAM ends
 * (the initrd goes just below that, or below the kernel's limit if lower).
 *
 * @param cmdline  the kernel command line (ASCII)
 * @param memory   the e820 map handed to the kernel
 * @param ramTop   first byte above the RAM that holds the kernel and the initrd
 */
public record LinuxBootConfig(String cmdline, List<E820Entry> memory, long ramTop) {
    /** The zero page (struct boot_params). */
    public static final long ZERO_PAGE = 0x10000;
    /** The command line, right after the zero page. */
    public static final long CMDLINE = 0x11000;
    /** Where the protected-mode kernel is loaded when the image does not ask for more. */
    public static final long KERNEL_LOAD = 0x10_0000;

    public LinuxBootConfig {
        memory = List.copyOf(memory);
        if (memory.isEmpty() || memory.size() > 128) {
            throw new IllegalArgumentException("an e820 map of " + memory.size() + " ranges: give 1 to 128");
        }
    }
}
