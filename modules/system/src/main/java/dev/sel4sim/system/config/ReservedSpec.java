package dev.sel4sim.system.config;

/** Physical memory the kernel does not hand out (firmware carve-outs, the kernel image). */
public record ReservedSpec(String name, long base, long size, int line) {
    public long end() {
        return base + size;
    }
}
