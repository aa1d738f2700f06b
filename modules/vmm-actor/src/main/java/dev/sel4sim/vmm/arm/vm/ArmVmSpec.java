package dev.sel4sim.vmm.arm.vm;

import dev.sel4sim.vmm.run.VmClock;
import dev.sel4sim.vmm.boot.ImageSource;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Everything needed to build one AArch64 VM, parsed once from the system file.
 *
 * @param kernel    a Linux arm64 Image or an ELF, or empty when {@code firmware} boots the VM
 * @param firmware  a raw binary (U-Boot) run from {@code firmwareBase}, or empty
 * @param quantum   instructions per slice before the VCPU yields to the others
 * @param virtio    virtio devices, each on its own virtio-mmio window in this order
 * @param crossVm   cross-VM connectors (register page and dataport each), SPIs from {@link #CROSS_VM_INTID} in this order
 */
public record ArmVmSpec(
        String name,
        long ramBase,
        long ramSize,
        int vcpus,
        String cpuModel,
        int gicVersion,
        VmClock clock,
        long nsPerInstruction,
        long quantum,
        Optional<ImageSource> kernel,
        Optional<ImageSource> initrd,
        String bootargs,
        Optional<ImageSource> firmware,
        long firmwareBase,
        ArmVmLayout layout,
        long timerFrequencyHz,
        java.util.List<VirtioSpec> virtio,
        java.util.List<dev.sel4sim.vmm.crossvm.CrossVmSpec> crossVm) {

    /** The SPI of the first cross-VM connector, just above the virtio windows' (48 + 32). */
    public static final int CROSS_VM_INTID = 80;
    /** Cross-VM connectors a VM may have. */
    public static final int CROSS_VM_MAX = 16;

    /** A VM without cross-VM connectors. */
    public ArmVmSpec(String name, long ramBase, long ramSize, int vcpus, String cpuModel, int gicVersion, VmClock clock,
                     long nsPerInstruction, long quantum, Optional<Path> kernel, Optional<Path> initrd, String bootargs,
                     Optional<Path> firmware, long firmwareBase, ArmVmLayout layout, long timerFrequencyHz,
                     java.util.List<VirtioSpec> virtio) {
        this(name, ramBase, ramSize, vcpus, cpuModel, gicVersion, clock, nsPerInstruction, quantum, kernel.map(ImageSource::file),
                initrd.map(ImageSource::file), bootargs, firmware.map(ImageSource::file), firmwareBase, layout, timerFrequencyHz, virtio,
                java.util.List.of());
    }

    /** A VM without virtio devices. */
    public ArmVmSpec(String name, long ramBase, long ramSize, int vcpus, String cpuModel, int gicVersion, VmClock clock,
                     long nsPerInstruction, long quantum, Optional<Path> kernel, Optional<Path> initrd, String bootargs,
                     Optional<Path> firmware, long firmwareBase, ArmVmLayout layout, long timerFrequencyHz) {
        this(name, ramBase, ramSize, vcpus, cpuModel, gicVersion, clock, nsPerInstruction, quantum, kernel, initrd, bootargs,
                firmware, firmwareBase, layout, timerFrequencyHz, java.util.List.of());
    }

    public ArmVmSpec {
        if (vcpus < 1 || vcpus > 8) {
            throw new IllegalArgumentException("vcpus must be 1-8, not " + vcpus);
        }
        if (gicVersion != 2 && gicVersion != 3) {
            throw new IllegalArgumentException("gic version must be 2 or 3, not " + gicVersion);
        }
        if (kernel.isEmpty() && firmware.isEmpty()) {
            throw new IllegalArgumentException("a VM needs a kernel or a firmware image");
        }
        virtio = java.util.List.copyOf(virtio);
        if (virtio.size() > layout.virtioSlots()) {
            throw new IllegalArgumentException("at most " + layout.virtioSlots() + " virtio devices per VM, not " + virtio.size());
        }
        java.util.Set<String> names = new java.util.HashSet<>();
        for (VirtioSpec v : virtio) {
            if (!names.add(v.name())) {
                throw new IllegalArgumentException("two virtio devices named '" + v.name() + "'");
            }
        }
        crossVm = java.util.List.copyOf(crossVm);
        CrossVmPlacement.check(name, ramBase, ramSize, firmware.isPresent() ? firmwareBase : -1, layout, crossVm);
    }

    /**
     * Checks cross-VM connectors against a VM's RAM, its devices in {@code layout}, its flash (when
     * {@code firmwareBase} is not negative) and each other, before any VM is built.
     *
     * @throws IllegalArgumentException naming the connector and what it collides with
     */
    public static void checkCrossVm(String vm, long ramBase, long ramSize, long firmwareBase, ArmVmLayout layout,
                                    java.util.List<dev.sel4sim.vmm.crossvm.CrossVmSpec> connectors) {
        CrossVmPlacement.check(vm, ramBase, ramSize, firmwareBase, layout, connectors);
    }

    /** A copy with these cross-VM connectors. */
    public ArmVmSpec withCrossVm(java.util.List<dev.sel4sim.vmm.crossvm.CrossVmSpec> connectors) {
        return new ArmVmSpec(name, ramBase, ramSize, vcpus, cpuModel, gicVersion, clock, nsPerInstruction, quantum, kernel, initrd,
                bootargs, firmware, firmwareBase, layout, timerFrequencyHz, virtio, connectors);
    }
}
