package dev.sel4sim.bench;

import dev.sel4sim.servers.net.Frames;
import dev.sel4sim.servers.net.Ipv4Address;
import dev.sel4sim.servers.net.MacAddress;
import dev.sel4sim.servers.net.vswitch.PortCounters;
import dev.sel4sim.servers.net.vswitch.SwitchConfig;
import dev.sel4sim.servers.net.vswitch.VirtualSwitch;
import dev.sel4sim.virtio.console.VirtioConsole;
import dev.sel4sim.virtio.net.NetCounters;
import dev.sel4sim.virtio.net.VirtioNet;
import dev.sel4sim.vmm.actor.VmEvent;
import dev.sel4sim.vmm.actor.VmmActor;
import dev.sel4sim.vmm.actor.VmmCommand;
import dev.sel4sim.vmm.arm.vm.ArmVm;
import dev.sel4sim.vmm.arm.vm.ArmVmBuilder;
import dev.sel4sim.vmm.arm.vm.ArmVmLayout;
import dev.sel4sim.vmm.arm.vm.ArmVmSpec;
import dev.sel4sim.vmm.arm.vm.VirtioAttachment;
import dev.sel4sim.vmm.arm.vm.VirtioSpec;
import dev.sel4sim.vmm.run.VmClock;
import dev.sel4sim.vmm.cpu.unicorn.UnicornLibrary;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.SpawnProtocol;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * virtio throughput, each figure next to its anchor from the same run:
 * <ul>
 * <li>virtio-net VM to VM: the kernel's packet generator (pktgen) in vm0 sends N frames of 64 B
 * and of 1500 B through a {@link VirtualSwitch} to vm1, both VMs Debian's arm64 kernel run by
 * their {@link VmmActor}s. Anchor: the same switch fed by a plain Source, drained by a counting
 * sink ({@link SwitchAnchor}).</li>
 * <li>virtio-console, guest to serial side: vm0 writes to /dev/hvc0, a host reader counts every
 * byte, first as fast as it reads, then as a slow terminal. Anchor: the same reader fed by a
 * plain Source of the same chunks.</li>
 * </ul>
 * Usage: bench/virtio.sh [--frames N] [--console-kib K] [--slow-kib K] [--slow-rate-kib R] [--anchor-frames N]
 * [--ratep FRAMES_PER_S] (pktgen's own rate limit: what vm1 takes when it is not flooded)
 */
public final class VirtioBench {
    static final String MAC0 = "52:54:00:00:00:01";
    static final String MAC1 = "52:54:00:00:00:02";
    static final Duration BOOT = Duration.ofSeconds(180);
    static final Duration COMMAND = Duration.ofSeconds(30);
    /** Frame sizes as the issue names them (with the 4-byte FCS no virtual wire carries). */
    static final int[] WIRE_SIZES = {64, 1500};
    static final int FCS = 4;

    private final Settings settings;
    private final ActorSystem<SpawnProtocol.Command> system;
    private final Materializer mat;
    private final List<UniqueKillSwitch> links = new ArrayList<>();
    private final List<ActorRef<VmmCommand>> vmms = new ArrayList<>();

    /** @param ratep pktgen's own rate limit in frames/s, 0 for none */
    record Settings(long frames, long consoleKib, long slowKib, long slowRateKib, long anchorFrames, long ratep) {
        static Settings parse(String[] args) {
            long frames = 20_000;
            long consoleKib = 8192;
            long slowKib = 1024;
            long slowRateKib = 512;
            long anchorFrames = 1_000_000;
            long ratep = 0;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option " + a + " needs a value");
                }
                long v = Long.parseLong(args[++i]);
                if (v < 1) {
                    throw new IllegalArgumentException(a + " must be positive, not " + v);
                }
                switch (a) {
                    case "--frames" -> frames = v;
                    case "--console-kib" -> consoleKib = v;
                    case "--slow-kib" -> slowKib = v;
                    case "--slow-rate-kib" -> slowRateKib = v;
                    case "--anchor-frames" -> anchorFrames = v;
                    case "--ratep" -> ratep = v;
                    default -> throw new IllegalArgumentException("unknown option " + a
                            + "; options: --frames N --console-kib K --slow-kib K --slow-rate-kib R --anchor-frames N --ratep FRAMES_PER_S");
                }
            }
            if (consoleKib % 4 != 0 || slowKib % 4 != 0) {
                throw new IllegalArgumentException("console amounts are written in 4 KiB blocks: give multiples of 4");
            }
            return new Settings(frames, consoleKib, slowKib, slowRateKib, anchorFrames, ratep);
        }
    }

    /** One VM of the bench: the machine, its shell and its VMM. */
    record Guest(String name, ArmVm vm, GuestShell shell) {
        VmCounters counters() {
            return VmCounters.parse(shell.onVmThread(vm::stats, COMMAND));
        }

        <T> T device(Class<T> type) {
            return vm.virtio().stream().map(VirtioAttachment::device).filter(type::isInstance).map(type::cast).findFirst()
                    .orElseThrow(() -> new IllegalStateException(name + " has no " + type.getSimpleName()));
        }
    }

    record NetResult(int wireSize, long requested, long switchIn, long delivered, long droppedFull, long vm1VirtioRx,
                     long vm1VirtioRxDropped, long guestRx, long replies, double seconds, double commandSeconds,
                     VmCounters sender, VmCounters receiver, String pktgen) {
        int carried() {
            return wireSize - FCS;
        }

        double framesPerSecond() {
            return guestRx / seconds;
        }
    }

    record ConsoleResult(String what, long expected, ConsoleReader.Counts counts, double commandSeconds, VmCounters guest) {
        double bytesPerSecond() {
            return counts.bytes() / counts.seconds();
        }
    }

    private VirtioBench(Settings settings) {
        this.settings = settings;
        this.system = ActorSystem.create(SpawnProtocol.create(), "virtio-bench");
        this.mat = Materializer.createMaterializer(system);
    }

    public static void main(String[] args) throws Exception {
        Settings s = Settings.parse(args);
        VirtioBench b = new VirtioBench(s);
        int rc = 0;
        try {
            b.runAll();
        } catch (RuntimeException e) {
            System.err.println("virtio bench failed: " + e.getMessage());
            rc = 1;
        } finally {
            b.close();
        }
        System.exit(rc);
    }

    private void runAll() throws Exception {
        Path guests = guestDir();
        UnicornLibrary lib = UnicornLibrary.locate();
        System.out.printf("virtio bench: %,d pktgen frames per size%s; console %,d KiB fast, %,d KiB at %,d KiB/s; anchor %,d frames%n",
                settings.frames(), settings.ratep() > 0 ? String.format(" at most %,d/s", settings.ratep()) : "", settings.consoleKib(), settings.slowKib(), settings.slowRateKib(), settings.anchorFrames());

        long t0 = System.nanoTime();
        CompletableFuture<Guest> b0 = CompletableFuture.supplyAsync(() -> build(lib, guests, "vm0", "10.0.0.1/24",
                List.of(VirtioSpec.net("eth0", MAC0), VirtioSpec.console("hvc0"))));
        CompletableFuture<Guest> b1 = CompletableFuture.supplyAsync(() -> build(lib, guests, "vm1", "10.0.0.2/24",
                List.of(VirtioSpec.net("eth0", MAC1))));
        Guest vm0 = b0.join();
        Guest vm1 = b1.join();

        // Cabled as conf/systems/vm_virtio_net.conf is: one switch, a port per VM.
        VirtualSwitch sw = new VirtualSwitch(SwitchConfig.open(2), System::nanoTime);
        links.add(cable(vm0.device(VirtioNet.class).frames(), sw.port(0)));
        links.add(cable(vm1.device(VirtioNet.class).frames(), sw.port(1)));
        ConsoleReader hvc = new ConsoleReader(vm0.device(VirtioConsole.class).flow()
                .joinMat(Flow.fromSinkAndSourceMat(Sink.<ByteString>queue(), Source.<ByteString>never(), Keep.left()), Keep.right())
                .run(mat), (byte) 'x', "hvc0-reader");

        start(vm0);
        start(vm1);
        vm0.shell().expect("SEL4SIM-INIT-OK", BOOT);
        vm1.shell().expect("SEL4SIM-INIT-OK", BOOT);
        vm0.shell().run("true", COMMAND);
        vm1.shell().run("true", COMMAND);
        System.out.printf("both VMs at a shell after %.1f s%n", (System.nanoTime() - t0) / 1e9);

        String setup = vm0.shell().run("insmod /lib/modules/pktgen.ko && echo rem_device_all > /proc/net/pktgen/kpktgend_0"
                + " && echo add_device eth0 > /proc/net/pktgen/kpktgend_0 && echo PKTGEN-\"READY\"", COMMAND);
        if (!setup.contains("PKTGEN-READY")) {
            throw new IllegalStateException("pktgen set-up failed in vm0:\n" + setup);
        }
        List<NetResult> net = new ArrayList<>();
        for (int size : WIRE_SIZES) {
            NetResult r = netRun(vm0, vm1, sw, size);
            net.add(r);
            System.out.printf("net %d B: %,d frames reached vm1 in %.3f s (%,.0f frames/s); pktgen: %s%n", size, r.guestRx(),
                    r.seconds(), r.framesPerSecond(), r.pktgen());
        }

        List<ConsoleResult> console = new ArrayList<>();
        console.add(consoleRun(vm0, hvc, "guest, host reads at once", settings.consoleKib(), 0));
        console.add(consoleRun(vm0, hvc, "guest, host reads " + settings.slowRateKib() + " KiB/s", settings.slowKib(),
                settings.slowRateKib() * 1024));
        for (ConsoleResult c : console) {
            System.out.printf("console %s: %,d of %,d bytes in %.3f s%n", c.what(), c.counts().bytes(), c.expected(), c.counts().seconds());
        }

        List<SwitchAnchor.Result> anchors = new ArrayList<>();
        for (int size : WIRE_SIZES) {
            ByteString frame = anchorFrame(size - FCS);
            SwitchAnchor.run(frame, settings.anchorFrames() / 4, mat); // warm-up
            SwitchAnchor.Result best = null;
            for (int i = 0; i < 3; i++) {
                SwitchAnchor.Result r = SwitchAnchor.run(frame, settings.anchorFrames(), mat);
                if (best == null || r.framesPerSecond() > best.framesPerSecond()) {
                    best = r;
                }
            }
            anchors.add(best);
        }
        ConsoleResult consoleAnchor = consoleAnchor(settings.consoleKib());

        Report.print(net, anchors, console, consoleAnchor);
        List<String> notes = new ArrayList<>(vm0.shell().onVmThread(() -> List.copyOf(vm0.vm().notes()), COMMAND));
        notes.addAll(vm1.shell().onVmThread(() -> List.copyOf(vm1.vm().notes()), COMMAND));
        notes.forEach(n -> System.out.println("VM note: " + n));
    }

    /** pktgen in vm0 sends {@code settings.frames()} frames of {@code wireSize} to vm1; counted at the switch and in vm1. */
    private NetResult netRun(Guest vm0, Guest vm1, VirtualSwitch sw, int wireSize) throws Exception {
        long n = settings.frames();
        String dev = "/proc/net/pktgen/eth0";
        String conf = vm0.shell().run("for c in 'count " + n + "' 'pkt_size " + (wireSize - FCS) + "' '" + (settings.ratep() > 0 ? "ratep " + settings.ratep() : "delay 0")
                + "' 'dst 10.0.0.2' 'dst_mac " + MAC1
                + "'; do echo \"$c\" > " + dev + " || echo CONF-\"FAILED\" \"$c\"; done", COMMAND);
        if (conf.contains("CONF-FAILED")) {
            throw new IllegalStateException("pktgen configuration failed:\n" + conf);
        }
        long rx0 = guestRxPackets(vm1);
        NetCounters v1 = vm1.shell().onVmThread(() -> vm1.device(VirtioNet.class).counters(), COMMAND);
        VmCounters c0 = vm0.counters();
        VmCounters c1 = vm1.counters();
        PortCounters p0 = sw.counters(0);
        PortCounters p1 = sw.counters(1);

        long typed = System.nanoTime();
        CompletableFuture<String> done = CompletableFuture.supplyAsync(
                () -> vm0.shell().run("echo start > /proc/net/pktgen/pgctrl", Duration.ofSeconds(240)));
        long first = 0;
        long last = 0;
        long lastTx = p1.tx();
        long commandEnd = 0;
        while (true) {
            long now = System.nanoTime();
            PortCounters in = sw.counters(0);
            PortCounters out = sw.counters(1);
            if (first == 0 && in.rx() > p0.rx()) {
                first = now;
            }
            if (out.tx() != lastTx) {
                lastTx = out.tx();
                last = now;
            }
            if (commandEnd == 0 && done.isDone()) {
                done.join();
                commandEnd = now;
            }
            // Done when pktgen has returned and nothing has reached vm1 for a while.
            if (commandEnd != 0 && now - Math.max(last, commandEnd) > TimeUnit.MILLISECONDS.toNanos(300)) {
                break;
            }
            LockSupport.parkNanos(500_000);
        }
        if (first == 0 || last == 0) {
            throw new IllegalStateException("no frame crossed the switch; vm0's console ends with:\n" + vm0.shell().tail(1500));
        }
        VmCounters d0 = vm0.counters().minus(c0);
        VmCounters d1 = vm1.counters().minus(c1);
        NetCounters v1After = vm1.shell().onVmThread(() -> vm1.device(VirtioNet.class).counters(), COMMAND);
        long rx1 = guestRxPackets(vm1);
        PortCounters q0 = sw.counters(0);
        PortCounters q1 = sw.counters(1);
        Matcher pktgen = Pattern.compile("Result: (OK|ERROR)[^\n]*\n[^\n]*").matcher(vm0.shell().run("cat " + dev, COMMAND));
        String result = pktgen.find() ? pktgen.group().replaceAll("\\s+", " ").trim() : "(no result line)";
        return new NetResult(wireSize, n, q0.rx() - p0.rx(), q1.tx() - p1.tx(), q1.queueFull() - p1.queueFull(),
                v1After.rxFrames() - v1.rxFrames(), v1After.rxDropped() - v1.rxDropped(), rx1 - rx0, q1.rx() - p1.rx(),
                (last - first) / 1e9, (commandEnd - typed) / 1e9, d0, d1, result);
    }

    private static long guestRxPackets(Guest g) {
        String out = g.shell().run("cat /sys/class/net/eth0/statistics/rx_packets", COMMAND);
        Matcher m = Pattern.compile("(?m)^(\\d+)$").matcher(out);
        if (!m.find()) {
            throw new IllegalStateException(g.name() + ": no rx_packets in: " + out);
        }
        return Long.parseLong(m.group(1));
    }

    /** vm0 writes {@code kib} KiB of 'x' to /dev/hvc0; the reader counts them at {@code rate} bytes/s (0: at once). */
    private ConsoleResult consoleRun(Guest vm0, ConsoleReader hvc, String what, long kib, long rate) {
        long expected = kib * 1024;
        hvc.reset(rate);
        VmCounters before = vm0.counters();
        long typed = System.nanoTime();
        String out;
        try {
            out = vm0.shell().run("dd if=/dev/zero bs=4096 count=" + (kib / 4) + " 2>/dev/null | tr '\\000' x > /dev/hvc0 || echo WRITE-\"FAILED\"",
                    Duration.ofSeconds(60 + (rate == 0 ? 0 : expected / rate)));
        } catch (IllegalStateException e) {
            // A stalled write: say how far each side got, and what the guest was doing.
            long fromGuest = vm0.shell().onVmThread(() -> vm0.device(VirtioConsole.class).bytesFromGuest(), COMMAND);
            throw new IllegalStateException("console write of " + expected + " bytes stalled: the device took " + fromGuest
                    + " bytes from the guest, the reader counted " + hvc.counts() + "; vm0: " + vm0.shell().onVmThread(vm0.vm()::stats, COMMAND)
                    + "\n" + e.getMessage(), e);
        }
        double command = (System.nanoTime() - typed) / 1e9;
        if (out.contains("WRITE-FAILED")) {
            throw new IllegalStateException("writing to /dev/hvc0 failed:\n" + out);
        }
        // What the reader has not taken yet is still queued: wait for it, a little past the rate.
        long grace = TimeUnit.SECONDS.toNanos(10) + (rate == 0 ? 0 : TimeUnit.SECONDS.toNanos(1) * expected / rate);
        hvc.awaitBytes(expected, grace);
        VmCounters guest = vm0.counters().minus(before);
        // Anything beyond the expected bytes would come in now.
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        return new ConsoleResult(what, expected, hvc.counts(), command, guest);
    }

    /** The console anchor: the same reader fed by a plain Source of the same 4 KiB chunks. Best of 3. */
    private ConsoleResult consoleAnchor(long kib) {
        byte[] chunk = new byte[4096];
        Arrays.fill(chunk, (byte) 'x');
        ByteString block = ByteString.fromArray(chunk);
        ConsoleResult best = null;
        for (int i = 0; i < 4; i++) {
            ConsoleReader r = new ConsoleReader(Source.repeat(block).take(kib / 4).runWith(Sink.queue(), mat), (byte) 'x', "anchor-reader");
            if (!r.awaitBytes(kib * 1024, TimeUnit.SECONDS.toNanos(60))) {
                throw new IllegalStateException("console anchor: " + r.counts().bytes() + " of " + kib * 1024 + " bytes after 60 s");
            }
            ConsoleResult c = new ConsoleResult("anchor: Source of 4 KiB chunks, same reader", kib * 1024, r.counts(), 0, null);
            r.close();
            if (i > 0 && (best == null || c.bytesPerSecond() > best.bytesPerSecond())) {
                best = c;
            }
        }
        return best;
    }

    /** A UDP frame from vm0 to vm1 of {@code bytes} bytes, as pktgen sends them (ports 9, zero payload). */
    static ByteString anchorFrame(int bytes) {
        int payload = bytes - 14 - 20 - 8;
        return Frames.udp(MacAddress.parse(MAC0), MacAddress.parse(MAC1), Ipv4Address.parse("10.0.0.1"), 9,
                Ipv4Address.parse("10.0.0.2"), 9, 1, ByteString.fromArray(new byte[payload]));
    }

    private Guest build(UnicornLibrary lib, Path guests, String name, String ip, List<VirtioSpec> virtio) {
        ArmVmSpec spec = new ArmVmSpec(name, 0x4000_0000L, 256L << 20, 1, "cortex-a53", 2, VmClock.PACED, 1, 200_000,
                Optional.of(guests.resolve("Image")), Optional.of(guests.resolve("initramfs.cpio.gz")),
                "console=ttyAMA0 rdinit=/init ipv6.disable=1 sel4sim.ip=" + ip, Optional.empty(), 0, ArmVmLayout.qemuVirt(),
                62_500_000L, virtio);
        GuestShell shell = new GuestShell(name);
        return new Guest(name, ArmVmBuilder.build(spec, lib, shell::output), shell);
    }

    private void start(Guest g) {
        ActorRef<VmEvent> listener = spawn(Behaviors.<VmEvent>receive((ctx, ev) -> {
            if (ev instanceof VmEvent.Stopped s) {
                System.err.printf("VM %s stopped: %s (%s)%n", s.vm(), s.why(), s.stats());
            }
            return Behaviors.same();
        }), g.name() + "-events", DispatcherSelector.defaultDispatcher());
        // The shell sees output through the UART callback given to the builder; as the console driver it is polled for its probes.
        ActorRef<VmmCommand> vmm = spawn(VmmActor.create(g::vm, g.shell(), listener), "vmm-" + g.name(), DispatcherSelector.blocking());
        g.shell().attach(vmm);
        vmms.add(vmm);
    }

    private UniqueKillSwitch cable(Flow<ByteString, ByteString, NotUsed> a, Flow<ByteString, ByteString, NotUsed> b) {
        return a.viaMat(KillSwitches.single(), Keep.right()).joinMat(b, Keep.left()).run(mat);
    }

    private <T> ActorRef<T> spawn(Behavior<T> behavior, String name, DispatcherSelector dispatcher) {
        return AskPattern.<SpawnProtocol.Command, ActorRef<T>>ask(system, r -> new SpawnProtocol.Spawn<>(behavior, name, dispatcher, r),
                Duration.ofSeconds(10), system.scheduler()).toCompletableFuture().join();
    }

    private static Path guestDir() {
        String cache = System.getenv("SEL4SIM_CACHE");
        Path dir = (cache == null ? Path.of(".cache") : Path.of(cache)).resolve("guests/arm64");
        if (!Files.isRegularFile(dir.resolve("Image")) || !Files.isRegularFile(dir.resolve("initramfs.cpio.gz"))) {
            throw new IllegalStateException("no guest images in " + dir + ": run scripts/fetch-guests.sh");
        }
        return dir;
    }

    private void close() {
        links.forEach(UniqueKillSwitch::shutdown);
        vmms.forEach(v -> v.tell(new VmmCommand.Shutdown("bench done")));
        system.terminate();
        try {
            system.getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("actor system did not stop: " + e);
        }
    }
}
