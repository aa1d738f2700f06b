package dev.sel4sim.system.assembly;

import dev.sel4sim.boards.Board;
import dev.sel4sim.system.config.SystemSpec;
import dev.sel4sim.system.config.SmcSpec;
import dev.sel4sim.system.config.VmSpec;
import dev.sel4sim.vmm.arm.psci.SmcPolicy;
import dev.sel4sim.vmm.arm.psci.SmcValues;
import java.util.List;
import dev.sel4sim.vmm.actor.ConsoleDriver;
import dev.sel4sim.vmm.actor.VmEvent;
import dev.sel4sim.vmm.actor.VmmActor;
import dev.sel4sim.vmm.actor.VmmCommand;
import dev.sel4sim.vmm.arm.vm.ArmVm;
import dev.sel4sim.vmm.run.GuestVm;
import dev.sel4sim.vmm.x86.cpu.unicorn.UnicornX86Library;
import dev.sel4sim.vmm.x86.vm.X86Vm;
import dev.sel4sim.vmm.x86.vm.X86VmBuilder;
import dev.sel4sim.vmm.x86.vm.X86VmSpec;
import dev.sel4sim.vmm.x86.vm.X86MachineConfig;
import dev.sel4sim.vmm.x86.vm.X86Timers;
import dev.sel4sim.vmm.x86.vm.X86VirtioSpec;
import dev.sel4sim.vmm.arm.vm.ArmVmBuilder;
import dev.sel4sim.vmm.arm.vm.ArmVmLayout;
import dev.sel4sim.vmm.arm.vm.ArmVmSpec;
import dev.sel4sim.vmm.arm.vm.VirtioSpec;
import dev.sel4sim.vmm.boot.ImageSource;
import dev.sel4sim.vmm.run.VmClock;
import dev.sel4sim.virtio.blk.DiskImage;
import dev.sel4sim.virtio.mmio.MmioMode;
import dev.sel4sim.vmm.cpu.unicorn.UnicornLibrary;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.SpawnProtocol;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Starts the VMs of a system: one {@link VmmActor} per VM, each with its console driver.
 * A VM that stops completes its future; the others go on.
 */
public final class VmLauncher {
    private final Map<String, ActorRef<VmmCommand>> vmms = new LinkedHashMap<>();
    private final Map<String, GuestVm> machines = new LinkedHashMap<>();
    private final Map<String, CompletableFuture<VmEvent.Stopped>> stopped = new LinkedHashMap<>();

    private VmLauncher() {
    }

    /** The ArmVmSpec of a system file's VM: images resolved, the board's addresses filled in. */
    public static ArmVmSpec armSpec(SystemSpec sys, VmSpec vm) {
        return armSpec(sys, vm, FileServers.of(sys));
    }

    /** The ArmVmSpec of a VM whose images may come from the system's file servers. */
    public static ArmVmSpec armSpec(SystemSpec sys, VmSpec vm, FileServers files) {
        Board board = sys.board();
        long ramBase = vm.ramBase().orElse(board.memory().getFirst().base());
        VmClock clock = clock(sys, vm);
        Function<String, ImageSource> image = images(sys, files);
        return new ArmVmSpec(vm.name(), ramBase, vm.ramSize(), vm.vcpus(), vm.cpu(), vm.gic(), clock, vm.nsPerInstruction(),
                vm.quantum(), vm.kernel().map(image), vm.initrd().map(image), vm.bootargs(), vm.firmware().map(image), 0,
                ArmVmLayout.qemuVirt(), 62_500_000L,
                vm.virtio().stream().map(d -> virtioSpec(d, image)).toList(), java.util.List.of())
                .withCrossVm(vm.crossVm().stream().map(dev.sel4sim.system.config.CrossVmParser::vmSide).toList());
    }


    /** The VM's clock: its own when the file gives one, else deterministic in a virtual-time system, paced otherwise. */
    static VmClock clock(SystemSpec sys, VmSpec vm) {
        return vm.clock().map(c -> c.equals("paced") ? VmClock.PACED : VmClock.DETERMINISTIC)
                .orElse(sys.clock() == dev.sel4sim.kernel.sched.Timeline.Mode.VIRTUAL ? VmClock.DETERMINISTIC : VmClock.PACED);
    }

    /** Image references to sources: the guest cache, a file server's image, or a path next to the system file. */
    static Function<String, ImageSource> images(SystemSpec sys, FileServers files) {
        Path dir = sys.file() == null ? null : Path.of(sys.file()).toAbsolutePath().getParent();
        return ref -> ref.startsWith(GuestImages.PREFIX) ? ImageSource.file(GuestImages.resolve(ref, dir))
                : files.image(ref).orElseGet(() -> ImageSource.file(GuestImages.resolve(ref, dir)));
    }

    /** Whether the system's VMs are x86 PCs (its board is an x86 board). */
    public static boolean x86(SystemSpec sys) {
        return !sys.board().architecture().isArm();
    }

    /** The X86VmSpec of a system file's VM on an x86 board. */
    public static X86VmSpec x86Spec(SystemSpec sys, VmSpec vm, FileServers files) {
        Function<String, ImageSource> image = images(sys, files);
        var d = vm.x86();
        List<X86VirtioSpec> virtio = new java.util.ArrayList<>();
        int pciIndex = 0;
        for (var v : vm.virtio()) {
            boolean pci = v.transport().equals("pci");
            // INTx lines as a PC's firmware deals them out: 10 and 11 in turn (level-triggered, shareable).
            int irq = v.irq().orElse(pci ? (pciIndex++ % 2 == 0 ? 10 : 11) : 0);
            X86VirtioSpec.Transport transport = pci ? X86VirtioSpec.Transport.PCI : X86VirtioSpec.Transport.MMIO;
            MmioMode mode = pci || v.legacy() ? MmioMode.LEGACY : MmioMode.MODERN;
            long base = v.address().orElse(0L);
            virtio.add(switch (v.type()) {
                case "blk" -> X86VirtioSpec.block(v.name(), transport, base, irq, mode, v.image().map(image).orElseThrow(),
                        v.readOnly() ? DiskImage.Mode.READ_ONLY : v.writeThrough() ? DiskImage.Mode.WRITE_THROUGH : DiskImage.Mode.COPY_ON_WRITE);
                case "net" -> new X86VirtioSpec(v.name(), X86VirtioSpec.Kind.NET, base, irq, mode, v.mac(), transport, java.util.Optional.empty(),
                        DiskImage.Mode.COPY_ON_WRITE);
                default -> new X86VirtioSpec(v.name(), X86VirtioSpec.Kind.CONSOLE, base, irq, mode, java.util.Optional.empty(), transport,
                        java.util.Optional.empty(), DiskImage.Mode.COPY_ON_WRITE);
            });
        }
        X86MachineConfig machine = new X86MachineConfig(vm.ramSize(), vm.nsPerInstruction(), new X86Timers(d.pit(), d.hpet(), d.lapicTimer()),
                d.lapic(), d.ioapic(), virtio, vm.crossVm().stream()
                .map(dev.sel4sim.system.config.CrossVmParser::vmSide).toList(),
                dev.sel4sim.system.config.X86Checks.passthrough(d));
        return new X86VmSpec(vm.name(), machine, clock(sys, vm), vm.quantum(),
                image.apply(vm.kernel().orElseThrow()), vm.initrd().map(image), vm.bootargs());
    }

    /** A virtio device of the system file as the VMM builds it; a blk device's image resolved as kernels are. */
    static VirtioSpec virtioSpec(dev.sel4sim.system.config.VirtioDeviceSpec d, Function<String, ImageSource> image) {
        MmioMode mode = d.legacy() ? MmioMode.LEGACY : MmioMode.MODERN;
        return switch (d.type()) {
            case "net" -> new VirtioSpec(d.name(), VirtioSpec.Kind.NET, d.mac(), mode);
            case "blk" -> new VirtioSpec(d.name(), VirtioSpec.Kind.BLOCK, d.mac(), mode, d.image().map(image),
                    d.readOnly() ? DiskImage.Mode.READ_ONLY : d.writeThrough() ? DiskImage.Mode.WRITE_THROUGH : DiskImage.Mode.COPY_ON_WRITE);
            default -> new VirtioSpec(d.name(), VirtioSpec.Kind.CONSOLE, d.mac(), mode);
        };
    }

    /** The VM's SMC policy: its own when the file gives one, else the board's default. */
    public static SmcPolicy smcPolicy(SystemSpec sys, VmSpec vm) {
        if (vm.smc().isEmpty()) {
            return SmcPolicy.fromBoard(sys.board().smc());
        }
        SmcSpec smc = vm.smc().get();
        List<SmcPolicy.Rule> rules = smc.calls().stream().map(c -> c.results()
                .map(x -> SmcPolicy.Rule.answer((int) c.id(), new SmcValues(x[0], x[1], x[2], x[3])))
                .orElseGet(() -> SmcPolicy.Rule.forward((int) c.id()))).toList();
        return switch (smc.policy()) {
            case "emulate" -> SmcPolicy.of(SmcPolicy.Mode.EMULATE, rules);
            case "allow" -> SmcPolicy.of(SmcPolicy.Mode.ALLOW, rules);
            default -> SmcPolicy.denyAll();
        };
    }

    /**
     * Starts every VM of {@code sys} under {@code system}'s user guardian.
     *
     * @param consoles the console driver of each VM, by name
     */
    public static VmLauncher start(SystemSpec sys, ActorSystem<SpawnProtocol.Command> system,
                                   Function<String, ConsoleDriver> consoles) {
        return start(prepare(sys, consoles), system);
    }

    /** VMs being built (RAM, engines, images, device trees) while the caller starts its actor system. */
    public record Prepared(List<PreparedVm> vms) {
    }

    record PreparedVm(String name, ConsoleDriver console, CompletableFuture<GuestVm> vm) {
    }

    /**
     * Starts building every VM of {@code sys} on another thread: Pekko's start takes longer than
     * building a VM, so the two overlap. Image references are checked here, at once.
     */
    public static Prepared prepare(SystemSpec sys, Function<String, ConsoleDriver> consoles) {
        return prepare(sys, consoles, CrossVmLinks.none());
    }

    /**
     * As {@link #prepare(SystemSpec, Function)} for a built system: each VM's cross-VM connectors share their
     * dataports with the components and are linked to the kernel before the VM runs.
     */
    public static Prepared prepare(BuiltSystem built, Function<String, ConsoleDriver> consoles) {
        return prepare(built.spec(), consoles, built.crossVm());
    }

    private static Prepared prepare(SystemSpec sys, Function<String, ConsoleDriver> consoles, CrossVmLinks crossVm) {
        UnicornLibrary lib = UnicornLibrary.locate();
        List<PreparedVm> out = new java.util.ArrayList<>();
        FileServers files = FileServers.of(sys);
        for (VmSpec vm : sys.vms()) {
            ConsoleDriver console = consoles.apply(vm.name());
            java.util.function.IntConsumer serial = console == null ? b -> { } : console::output;
            if (x86(sys)) {
                X86VmSpec spec = x86Spec(sys, vm, files);
                out.add(new PreparedVm(vm.name(), console, CompletableFuture.supplyAsync(() -> {
                    try {
                        X86Vm built = X86VmBuilder.build(spec, UnicornX86Library.of(lib), serial,
                                connector -> crossVm.dataport(vm.name(), connector));
                        // A board UART given to the VM is the board's serial line: its text goes to the terminal.
                        built.machine().onBoardSerial((device, line) -> System.out.println("[board " + device + "] " + line));
                        return attached(crossVm, vm.name(), built);
                    } catch (dev.sel4sim.vmm.boot.BootImageException e) {
                        throw new java.util.concurrent.CompletionException(new IllegalStateException("vm " + vm.name() + ": " + e.getMessage(), e));
                    }
                })));
                continue;
            }
            ArmVmSpec spec = armSpec(sys, vm, files);
            SmcPolicy smc = smcPolicy(sys, vm);
            out.add(new PreparedVm(vm.name(), console, CompletableFuture.supplyAsync(() -> {
                ArmVm built = ArmVmBuilder.build(spec, lib, serial, smc,
                        connector -> crossVm.dataport(vm.name(), connector));
                return attached(crossVm, vm.name(), built);
            })));
        }
        return new Prepared(out);
    }

    /** Links a built VM's cross-VM connectors to the kernel; a VM that cannot be linked is released. */
    private static <V extends GuestVm> V attached(CrossVmLinks crossVm, String name, V built) {
        try {
            crossVm.attach(name, built);
        } catch (RuntimeException e) {
            built.close();
            throw e;
        }
        return built;
    }

    /** Starts the VMM actors of prepared VMs; a VM that could not be built fails the start with its reason. */
    public static VmLauncher start(Prepared prepared, ActorSystem<SpawnProtocol.Command> system) {
        VmLauncher l = new VmLauncher();
        for (PreparedVm p : prepared.vms()) {
            GuestVm vm;
            try {
                vm = p.vm().join();
            } catch (java.util.concurrent.CompletionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                throw new IllegalStateException(cause.getMessage() == null ? cause.toString() : cause.getMessage(), cause);
            }
            CompletableFuture<VmEvent.Stopped> done = new CompletableFuture<>();
            l.stopped.put(p.name(), done);
            ActorRef<VmEvent> listener = spawn(system, Behaviors.<VmEvent>receive((ctx, ev) -> {
                if (ev instanceof VmEvent.Stopped s) {
                    done.complete(s);
                }
                return Behaviors.same();
            }), p.name() + "-events", DispatcherSelector.defaultDispatcher());
            ActorRef<VmmCommand> vmm = spawn(system, VmmActor.create(() -> vm, p.console(), listener),
                    "vmm-" + p.name(), DispatcherSelector.blocking());
            l.vmms.put(p.name(), vmm);
            l.machines.put(p.name(), vm);
        }
        return l;
    }

    private static <T> ActorRef<T> spawn(ActorSystem<SpawnProtocol.Command> system, org.apache.pekko.actor.typed.Behavior<T> b,
                                         String name, DispatcherSelector dispatcher) {
        CompletableFuture<ActorRef<T>> ref = AskPattern.<SpawnProtocol.Command, ActorRef<T>>ask(system,
                r -> new SpawnProtocol.Spawn<>(b, name, dispatcher, r), Duration.ofSeconds(10), system.scheduler()).toCompletableFuture();
        return ref.join();
    }

    /**
     * The VM named {@code name}, for wiring its devices' streams. Its guest state belongs to its
     * VMM actor: touch only what is thread-safe (the virtio devices' streams).
     */
    public GuestVm vm(String name) {
        GuestVm vm = machines.get(name);
        if (vm == null) {
            throw new IllegalArgumentException("no VM named '" + name + "'; the VMs are " + machines.keySet());
        }
        return vm;
    }

    /** The virtio devices of the VM named {@code name}, for cabling their streams. */
    public List<dev.sel4sim.vmm.run.VmDevice> virtio(String name) {
        return vm(name).devices();
    }

    public Map<String, ActorRef<VmmCommand>> vmms() {
        return vmms;
    }

    public Map<String, CompletableFuture<VmEvent.Stopped>> stopped() {
        return stopped;
    }

    /** Completes when any VM stops. */
    public CompletableFuture<VmEvent.Stopped> anyStopped() {
        return CompletableFuture.anyOf(stopped.values().toArray(CompletableFuture[]::new)).thenApply(o -> (VmEvent.Stopped) o);
    }

    public void shutdown(String why) {
        vmms.values().forEach(v -> v.tell(new VmmCommand.Shutdown(why)));
    }
}
