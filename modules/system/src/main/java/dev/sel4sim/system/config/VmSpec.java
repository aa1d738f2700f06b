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
                     java.util.List<VirtioDeviceSpec> virtio, java.util.List<CrossVmConnectorSpec> crossVm, X86Devices x86, int line) {
    public VmSpec {
        java.util.Objects.requireNonNull(x86, "x86");
        virtio = java.util.List.copyOf(virtio);
        crossVm = java.util.List.copyOf(crossVm);
    }

    /** A VM without cross-VM connectors. */
    public VmSpec(String name, int vcpus, long ramSize, Optional<Long> ramBase, String cpu, int gic,
                  Optional<String> kernel, Optional<String> initrd, String bootargs, Optional<String> firmware,
                  Optional<String> clock, long quantum, long nsPerInstruction, Optional<SmcSpec> smc,
                  java.util.List<VirtioDeviceSpec> virtio, int line) {
        this(name, vcpus, ramSize, ramBase, cpu, gic, kernel, initrd, bootargs, firmware, clock, quantum, nsPerInstruction, smc,
                virtio, java.util.List.of(), X86Devices.DEFAULT, line);
    }

    /** The connector named {@code connector}, if this VM has one. */
    public Optional<CrossVmConnectorSpec> crossVm(String connector) {
        return crossVm.stream().filter(c -> c.name().equals(connector)).findFirst();
    }
}
