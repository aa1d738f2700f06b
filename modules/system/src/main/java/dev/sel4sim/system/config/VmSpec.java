package dev.sel4sim.system.config;

import java.util.Optional;

/**
 * A virtual machine as the system file describes it: its VCPUs, RAM, images and clock.
 * Image references are as written ({@code guest:arm64/Image} names a file of the guest
 * image cache; anything else is a path relative to the system file).
 */
public record VmSpec(String name, int vcpus, long ramSize, Optional<Long> ramBase, String cpu, int gic,
                     Optional<String> kernel, Optional<String> initrd, String bootargs, Optional<String> firmware,
                     Optional<String> clock, long quantum, long nsPerInstruction, Optional<SmcSpec> smc,
                     java.util.List<VirtioDeviceSpec> virtio, int line) {
    public VmSpec {
        virtio = java.util.List.copyOf(virtio);
    }
}
