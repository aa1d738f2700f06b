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

    VirtioDevices(List<X86VirtioSpec> specs, GuestMemory memory, Lines lines, Consumer<String> notes) {
        this.notes = notes;
        List<X86VirtioAttachment> out = new ArrayList<>();
        for (X86VirtioSpec spec : specs) {
            VirtioDevice device = switch (spec.kind()) {
                case CONSOLE -> new VirtioConsole(work);
                case NET -> new VirtioNet(work, NetConfig.of(MacAddress.parse(spec.macOrDefault())));
            };
            int irq = spec.irq();
            VirtioMmioTransport transport = new VirtioMmioTransport(device, memory, spec.mode(),
                    level -> lines.set(irq, level),
                    error -> notes.accept("virtio " + spec.name() + " is broken until the guest resets it: " + error));
            out.add(new X86VirtioAttachment(spec, device, transport));
        }
        this.attachments = List.copyOf(out);
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
