package dev.sel4sim.vmm.x86.boot;

import java.util.List;

/**
 * What the loader tells a Multiboot kernel about its machine.
 *
 * @param cmdline        the kernel's command line
 * @param lowerKiB       conventional memory from 0, in KiB (at most 640)
 * @param upperKiB       memory from 1 MiB up to the first hole, in KiB
 * @param modules        boot modules, loaded page aligned after the kernel
 * @param bootLoaderName the name written in the info structure
 */
public record MultibootConfig(String cmdline, int lowerKiB, long upperKiB, List<MultibootModule> modules, String bootLoaderName) {
    public MultibootConfig {
        if (lowerKiB < 64 || lowerKiB > 640) {
            throw new IllegalArgumentException("lower memory of " + lowerKiB + " KiB: a PC has 64 to 640");
        }
        if (upperKiB < 0 || upperKiB > 0xffff_ffffL) {
            throw new IllegalArgumentException("upper memory of " + upperKiB + " KiB does not fit Multiboot's 32-bit field");
        }
        cmdline = cmdline == null ? "" : cmdline;
        modules = List.copyOf(modules);
        bootLoaderName = bootLoaderName == null ? "sel4sim" : bootLoaderName;
    }
}
