package dev.sel4sim.vmm.x86.vm;

import dev.sel4sim.virtio.console.VirtioConsole;
import dev.sel4sim.virtio.device.VirtioDevice;
import dev.sel4sim.virtio.mem.GuestMemory;
import dev.sel4sim.virtio.mmio.VirtioMmioTransport;
import dev.sel4sim.virtio.net.MacAddress;
import dev.sel4sim.virtio.net.NetConfig;
import dev.sel4sim.virtio.net.VirtioNet;
import dev.sel4sim.virtio.stream.GuestWorkQueue;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The machine's virtio-mmio devices and the queue of work their streams hand to the machine's
 * thread, drained between slices (never while the VCPU runs), as MMIO accesses are.
 */
final class VirtioDevices {
    /** Drives a level-triggered line by its global system interrupt number. */
    @FunctionalInterface
    interface Lines {
        void set(int gsi, boolean level);
    }

    private final GuestWorkQueue work = new GuestWorkQueue(this::workArrived);
    private final List<X86VirtioAttachment> attachments;
    private final Consumer<String> notes;
    private volatile Runnable workListener = () -> { };

    /** Level of each source on each line: a line is high while any of its devices holds it high (wired-OR). */
    private final java.util.Map<Integer, java.util.Set<String>> highSources = new java.util.HashMap<>();
    private final List<dev.sel4sim.virtio.blk.DiskImage> disks = new ArrayList<>();

    VirtioDevices(List<X86VirtioSpec> specs, GuestMemory memory, Lines lines, Consumer<String> notes) {
        this.notes = notes;
        List<X86VirtioAttachment> out = new ArrayList<>();
        try {
            for (X86VirtioSpec spec : specs) {
                VirtioDevice device = switch (spec.kind()) {
                    case CONSOLE -> new VirtioConsole(work);
                    case NET -> new VirtioNet(work, NetConfig.of(MacAddress.parse(spec.macOrDefault())));
                    case BLOCK -> {
                        var disk = dev.sel4sim.vmm.boot.DiskImages.open(spec.image().orElseThrow(), spec.diskMode(),
                                "virtio-blk " + spec.name());
                        disks.add(disk);
                        yield new dev.sel4sim.virtio.blk.VirtioBlk(disk, spec.name());
                    }
                };
                int irq = spec.irq();
                String source = spec.name();
                Consumer<dev.sel4sim.virtio.queue.VirtqueueError> broken =
                        error -> notes.accept("virtio " + spec.name() + " is broken until the guest resets it: " + error);
                if (spec.transport() == X86VirtioSpec.Transport.PCI) {
                    var f = new dev.sel4sim.vmm.x86.pci.VirtioPciFunction(device, memory, level -> line(lines, irq, source, level), broken);
                    out.add(new X86VirtioAttachment(spec, device, java.util.Optional.empty(), java.util.Optional.of(f)));
                } else {
                    VirtioMmioTransport transport = new VirtioMmioTransport(device, memory, spec.mode(),
                            level -> line(lines, irq, source, level), broken);
                    out.add(new X86VirtioAttachment(spec, device, java.util.Optional.of(transport), java.util.Optional.empty()));
                }
            }
        } catch (RuntimeException e) {
            closeDisks();
            throw e;
        }
        this.attachments = List.copyOf(out);
    }

    /** Runs work on the machine's thread between slices (for other devices that take work from other threads). */
    java.util.concurrent.Executor executor() {
        return work;
    }

    /** Drives {@code irq} for {@code source}, wired-OR with every other source on it (virtio or not). */
    void line(Lines lines, int irq, String source, boolean level) {
        java.util.Set<String> high = highSources.computeIfAbsent(irq, k -> new java.util.HashSet<>());
        if (level) {
            high.add(source);
        } else {
            high.remove(source);
        }
        lines.set(irq, !high.isEmpty());
    }

    /** Closes the disks' images (their copy-on-write data goes with them). */
    void closeDisks() {
        for (var d : disks) {
            try {
                d.close();
            } catch (java.io.IOException | RuntimeException e) {
                notes.accept("closing a disk image failed: " + e);
            }
        }
        disks.clear();
    }

    List<X86VirtioAttachment> attachments() {
        return attachments;
    }

    void onWork(Runnable listener) {
        this.workListener = Objects.requireNonNull(listener, "listener");
    }

    boolean workPending() {
        return work.hasPending();
    }

    /** Runs the waiting device work; on the machine's thread, between slices. */
    void runPending() {
        if (!work.hasPending()) {
            return;
        }
        try {
            work.runPending();
        } catch (RuntimeException e) {
            // The devices contain their own failures; one that escapes is logged, not fatal to the machine.
            notes.accept("virtio device work failed: " + e);
        }
    }

    private void workArrived() {
        workListener.run();
    }
}
