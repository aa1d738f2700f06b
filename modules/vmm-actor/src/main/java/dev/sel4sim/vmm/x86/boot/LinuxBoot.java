package dev.sel4sim.vmm.x86.boot;

/**
 * Where the loader put things: the VCPU enters {@code entry} in 32-bit protected mode with ESI =
 * {@code zeroPage}.
 */
public record LinuxBoot(LinuxSetupHeader header, long entry, long zeroPage, long kernelAddress, long kernelBytes,
                        long initrdAddress, long initrdBytes) {
}
