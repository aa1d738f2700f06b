package dev.sel4sim.system.assembly;

import dev.sel4sim.kernel.Kernel;
import dev.sel4sim.kernel.KernelException;
import dev.sel4sim.kernel.SysResult;
import dev.sel4sim.kernel.Syscalls;
import dev.sel4sim.kernel.boot.CSpaceView;
import dev.sel4sim.kernel.boot.Loader;
import dev.sel4sim.kernel.cap.Rights;
import dev.sel4sim.kernel.ipc.KernelEvent;
import dev.sel4sim.kernel.objects.Notification;
import dev.sel4sim.servers.Wiring;
import dev.sel4sim.system.config.ConfigError;
import dev.sel4sim.system.config.ConnectionSpec;
import dev.sel4sim.system.config.CrossVmConnectorSpec;
import dev.sel4sim.system.config.SystemSpec;
import dev.sel4sim.system.config.VmSpec;
import dev.sel4sim.vmm.crossvm.CrossVmConnector;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A system's cross-VM connections: the kernel objects they are made of, and at launch the link between each
 * VM's connectors and those objects.
 *
 * <p>In the kernel model, as in camkes-vm, a VM with cross-VM connections has a VMM thread ({@code vmm-VM})
 * holding a Write cap (badge 1) to each connection's {@code from-guest} notification, which the guest's
 * doorbell signals; and a VMM event thread ({@code vmm-VM.events}) waiting on the VM's
 * {@code VM.cross-vm-events} notification, to which each connected component holds a Write cap badged with
 * its connector's bit. Two threads because a thread blocked waiting for events cannot signal. The dataport is
 * {@code size / 4K} frames retyped from untyped memory, given to the component and the VMM; their contents
 * are one off-heap segment both map.
 */
public final class CrossVmLinks {
    private record Link(String vm, String connector, int bit, long doorbellCap, MemorySegment memory) {
    }

    private record VmThreads(CSpaceView vmm, CSpaceView events, Notification eventsNotification, long eventsCap) {
    }

    private final Kernel kernel;
    private final Map<String, VmThreads> threads;
    private final List<Link> links;

    private CrossVmLinks(Kernel kernel, Map<String, VmThreads> threads, List<Link> links) {
        this.kernel = kernel;
        this.threads = Map.copyOf(threads);
        this.links = List.copyOf(links);
    }

    /** No cross-VM connections. */
    public static CrossVmLinks none() {
        return new CrossVmLinks(null, Map.of(), List.of());
    }

    /**
     * Makes the kernel objects of every cross-VM connection of {@code spec} and gives the components their
     * caps (into {@code caps}) and dataport memory (into {@code dataports}), both by component. A connection
     * the kernel cannot build becomes an error at its line.
     */
    static CrossVmLinks build(Loader loader, SystemSpec spec, Map<String, CSpaceView> views, Map<String, Map<String, Long>> caps,
                              Map<String, Map<String, MemorySegment>> dataports, List<ConfigError> errors) {
        Map<String, VmThreads> threads = new LinkedHashMap<>();
        java.util.ArrayList<Link> links = new java.util.ArrayList<>();
        for (ConnectionSpec c : spec.connections()) {
            if (!(c instanceof ConnectionSpec.CrossVm x)) {
                continue;
            }
            try {
                VmSpec vm = spec.vms().stream().filter(v -> v.name().equals(x.vm())).findFirst().orElseThrow();
                CrossVmConnectorSpec connector = vm.crossVm(x.connector()).orElseThrow();
                VmThreads t = threads.computeIfAbsent(vm.name(), n -> vmThreads(loader, n));
                CSpaceView to = views.get(x.to());
                int bit = vm.crossVm().indexOf(connector);
                var frames = loader.frames(vm.name() + "." + connector.name() + ".dataport", (int) (connector.dataportSize() / 4096));
                caps.get(x.to()).put(x.name(), (long) loader.give(to, frames, Rights.RW, 0));
                loader.give(t.vmm(), frames, Rights.RW, 0);
                Notification fromGuest = loader.notification(Wiring.fromGuest(x.name()));
                caps.get(x.to()).put(Wiring.fromGuest(x.name()), (long) loader.give(to, fromGuest, Rights.READ, 0));
                long doorbell = loader.give(t.vmm(), fromGuest, Rights.WRITE, 1);
                caps.get(x.to()).put(Wiring.toGuest(x.name()), (long) loader.give(to, t.eventsNotification(), Rights.WRITE, 1L << bit));
                // Freed by the garbage collector once neither the VM nor the component refers to it.
                MemorySegment memory = Arena.ofAuto().allocate(connector.dataportSize(), 4096);
                dataports.computeIfAbsent(x.to(), k -> new HashMap<>()).put(x.name(), memory);
                links.add(new Link(vm.name(), connector.name(), bit, doorbell, memory));
            } catch (KernelException | IllegalStateException e) {
                errors.add(new ConfigError(spec.file(), x.line(), "cross-vm connection '" + x.name() + "': " + e.getMessage(),
                        "a connection the kernel can build (less memory, or more untyped)"));
            }
        }
        Kernel kernel = loader.kernel();
        return new CrossVmLinks(kernel, threads, links);
    }

    private static VmThreads vmThreads(Loader loader, String vm) {
        CSpaceView vmm = loader.thread("vmm-" + vm, SystemBuilder.CNODE_RADIX, 255, 0);
        CSpaceView events = loader.thread("vmm-" + vm + ".events", SystemBuilder.CNODE_RADIX, 255, 0);
        Notification n = loader.notification(vm + ".cross-vm-events");
        return new VmThreads(vmm, events, n, loader.give(events, n, Rights.READ, 0));
    }

    /** The dataport memory of a VM's connector, or null when no connection uses it (the VM then has its own). */
    public MemorySegment dataport(String vm, String connector) {
        for (Link l : links) {
            if (l.vm().equals(vm) && l.connector().equals(connector)) {
                return l.memory();
            }
        }
        return null;
    }

    /**
     * Connects a built VM's connectors to the kernel: the doorbell signals through the VMM thread, and the
     * event thread starts waiting for the components' events, handing each to its connector. Call before the
     * VM runs; afterwards the VMM threads' system calls happen on the VM's thread.
     */
    public void attach(String vmName, dev.sel4sim.vmm.run.GuestVm vm) {
        VmThreads t = threads.get(vmName);
        if (t == null) {
            return;
        }
        Syscalls vmm = new Syscalls(kernel, t.vmm().tcb());
        Syscalls events = new Syscalls(kernel, t.events().tcb());
        kernel.attach(t.vmm().tcb(), ev -> { });
        Map<Integer, CrossVmConnector> byBit = new HashMap<>();
        for (Link l : links) {
            if (!l.vm().equals(vmName)) {
                continue;
            }
            CrossVmConnector c = vm.crossVm().stream().filter(x -> x.spec().name().equals(l.connector())).findFirst()
                    .orElseThrow(() -> new IllegalStateException("VM " + vmName + " has no cross-VM connector " + l.connector()));
            byBit.put(l.bit(), c);
            c.connect(() -> {
                SysResult r = vmm.signal(l.doorbellCap());
                if (r.isError()) {
                    vm.note("cross-VM connector " + l.connector() + ": the doorbell's signal failed: " + r);
                }
            });
        }
        CrossVmConnector any = byBit.values().iterator().next();
        kernel.attach(t.events().tcb(), ev -> {
            if (ev instanceof KernelEvent.NotificationReceived n) {
                for (var e : byBit.entrySet()) {
                    if ((n.badge() & (1L << e.getKey())) != 0) {
                        e.getValue().eventFromPeer();
                    }
                }
                // Waits again from the VM's thread, the only one that makes this thread's calls once it runs.
                any.onVmThread(() -> events.waitFor(t.eventsCap()));
            }
        });
        events.waitFor(t.eventsCap());
    }
}
