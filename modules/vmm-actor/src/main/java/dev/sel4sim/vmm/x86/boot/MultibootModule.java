package dev.sel4sim.vmm.x86.boot;

/**
 * A boot module handed to the kernel: its bytes and its command line (by convention the name first).
 */
public record MultibootModule(byte[] data, String cmdline) {
    public MultibootModule {
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    int size() {
        return data.length;
    }
}
