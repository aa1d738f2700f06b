package dev.sel4sim.vmm.x86.vm;

import dev.sel4sim.vmm.boot.ImageSource;
import dev.sel4sim.vmm.run.VmClock;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One x86 VM as the system builds it: a uniprocessor PC with its RAM, the guest to boot and how its
 * time runs.
 *
 * @param name             the VM's name in the system file
 * @param machine          the PC: RAM (below 640 KiB and from 1 MiB up, with an e820 map), simulated time per
 *                         instruction, timers, APICs and virtio devices
 * @param clock            deterministic (time from instructions) or paced (host time)
 * @param quantum          instructions per slice: how often the VMM looks at input and its mailbox
 * @param kernel           a Linux bzImage or a Multiboot 1 or 2 kernel (told apart by their headers)
 * @param initrd           Linux's initrd, or a Multiboot kernel's first module
 * @param cmdline          the kernel command line
 */
public record X86VmSpec(String name, X86MachineConfig machine, VmClock clock, long quantum, ImageSource kernel,
                        Optional<ImageSource> initrd, String cmdline) {
    public X86VmSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(machine, "machine");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(initrd, "initrd");
        Objects.requireNonNull(cmdline, "cmdline");
        if (quantum <= 0) {
            throw new IllegalArgumentException("quantum must be positive");
        }
    }

    /** The Multiboot modules this spec gives a Multiboot kernel (its initrd, if any). */
    List<ImageSource> modules() {
        return initrd.map(List::of).orElse(List.of());
    }
}
