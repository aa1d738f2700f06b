package dev.sel4sim.system.cli;

import dev.sel4sim.servers.serial.MuxSettings;
import dev.sel4sim.servers.serial.SerialHub;
import dev.sel4sim.system.assembly.BuiltSystem;
import dev.sel4sim.system.assembly.ComponentKinds;
import dev.sel4sim.system.assembly.ConsoleWiring;
import dev.sel4sim.system.assembly.NetworkWiring;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import dev.sel4sim.system.assembly.RunningSystem;
import dev.sel4sim.system.assembly.VmLauncher;
import dev.sel4sim.system.config.SystemSpec;
import dev.sel4sim.system.console.ExpectScript;
import dev.sel4sim.servers.Console;
import dev.sel4sim.vmm.actor.ConsoleDriver;
import dev.sel4sim.vmm.actor.VmEvent;
import dev.sel4sim.vmm.actor.VmmCommand;
import dev.sel4sim.vmm.run.VmStop;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.SpawnProtocol;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a system that has VMs: native components as {@code run} always does, and each VM
 * under its VMM actor. The first VM's console is the terminal (or an expect script's).
 */
final class VmRun {
    private VmRun() {
    }

    static int run(SystemSpec spec, BuiltSystem built, List<ExpectScript.Step> script, long timeoutNs, boolean interactive)
            throws Exception {
        PrintStream out = new PrintStream(new BufferedOutputStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), 1 << 16), false);
        String first = spec.vms().getFirst().name();
        ExpectScript expect = new ExpectScript(script, b -> terminal(out, b));
        // With a serial server, every VM console is a client of one multiplexed terminal; without,
        // the first VM's UART is the terminal and the expect script runs inside its VM's loop.
        boolean shared = ConsoleWiring.used(spec);
        ConsoleWiring consoles = shared ? new ConsoleWiring(spec) : null;
        // The VMs are built while Pekko starts.
        VmLauncher.Prepared prepared = VmLauncher.prepare(built,
                name -> shared ? consoles.uart(name) : name.equals(first) ? expect : otherConsole(out, name));
        ActorSystem<SpawnProtocol.Command> system = ActorSystem.create(SpawnProtocol.create(), "sel4sim");
        Materializer mat = Materializer.createMaterializer(system);
        SerialHub hub = null;
        BoundedSourceQueue<ByteString> keys = null;
        if (shared) {
            Pair<BoundedSourceQueue<ByteString>, Source<ByteString, NotUsed>> k = Source.<ByteString>queue(256).preMaterialize(mat);
            keys = k.first();
            Sink<ByteString, ?> screen = Sink.foreach(b -> {
                for (int i = 0; i < b.size(); i++) {
                    expect.output(b.apply(i) & 0xff);
                }
                out.flush();
            });
            hub = SerialHub.start(interactive ? MuxSettings.terminal() : MuxSettings.plain(), consoles.clientSpecs(), k.second(), screen, 16, mat);
        }
        int code = ExitCodes.OK;
        ComponentKinds.Outputs outputs = shared ? new ComponentKinds.Outputs(Console.STDOUT, hub.ipcOutput()) : ComponentKinds.Outputs.of(Console.STDOUT);
        try (RunningSystem natives = RunningSystem.start(built, system, outputs, "run")) {
            VmLauncher vms = VmLauncher.start(prepared, system);
            NetworkWiring net = NetworkWiring.start(spec, vms::virtio, () -> built.kernel().timeline().nowNs(), mat);
            // Where host programs reach the simulated network, as a run of native components says it.
            net.hostPorts().forEach(line -> System.out.println("sel4sim: " + line));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                out.flush();
                system.terminate();
            }));
            if (shared) {
                consoles.attach(hub, vms::virtio, mat);
                BoundedSourceQueue<ByteString> typed = keys;
                // The script types into the shared terminal as a user would.
                system.scheduler().scheduleAtFixedRate(java.time.Duration.ofMillis(20), java.time.Duration.ofMillis(20), () -> {
                    byte[] in = expect.input();
                    if (in != null) {
                        typed.offer(ByteString.fromArray(in));
                    }
                }, system.executionContext());
            }
            ActorRef<VmmCommand> firstVmm = vms.vmms().get(first);
            CompletableFuture<Void> quit = new CompletableFuture<>();
            if (interactive) {
                BoundedSourceQueue<ByteString> typed = keys;
                startInput(shared ? bytes -> typed.offer(ByteString.fromArray(bytes)) : bytes -> firstVmm.tell(new VmmCommand.Input(bytes)), quit);
            }
            CompletableFuture<VmEvent.Stopped> stop = vms.anyStopped();
            CompletableFuture<Object> end = script.isEmpty() ? CompletableFuture.anyOf(stop, quit)
                    : CompletableFuture.anyOf(stop, expect.done());
            try {
                Object r = timeoutNs > 0 ? end.get(timeoutNs, TimeUnit.NANOSECONDS) : end.get();
                out.flush();
                if (r instanceof VmEvent.Stopped s) {
                    code = report(s, script.isEmpty() ? null : expect);
                } else if (script.isEmpty()) {
                    System.err.printf("%nsel4sim: quit%n");
                } else {
                    System.err.printf("%nsel4sim: every --expect matched%n");
                }
            } catch (TimeoutException e) {
                out.flush();
                if (script.isEmpty()) {
                    System.err.printf("%nsel4sim: stopped after --timeout %.0f s%n", timeoutNs / 1e9);
                } else {
                    System.err.printf("%nsel4sim: timed out after %.0f s waiting for %s%n--- last console output ---%n%s%n---%n",
                            timeoutNs / 1e9, expect.waitingFor(), tail(expect.transcript(), 2000));
                    code = ExitCodes.VM_FAILED;
                }
            }
            // The VMs stop before their network does: a device still running must not meet closed links.
            vms.shutdown("the run is over");
            VmEvent.Stopped already = end.isDone() && end.getNow(null) instanceof VmEvent.Stopped s ? s : null;
            for (CompletableFuture<VmEvent.Stopped> each : vms.stopped().values()) {
                try {
                    VmEvent.Stopped s = each.get(10, TimeUnit.SECONDS);
                    if (s != already) {
                        printStats(s);
                    }
                } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
                    System.err.println("sel4sim: a VM did not stop within 10 s");
                }
            }
            net.report().forEach(line -> System.err.println("sel4sim: " + line));
            try {
                net.close();
            } catch (RuntimeException e) {
                System.err.println("sel4sim: closing the network: " + e.getMessage());
            }
            diskReport(vms).forEach(line -> System.err.println("sel4sim: " + line));
        } finally {
            out.flush();
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
        }
        return code;
    }

    /** One line per virtio-blk device: what the guest did with its disk (read once the VMs have stopped). */
    static java.util.List<String> diskReport(VmLauncher vms) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (String n : vms.vmms().keySet()) {
            for (var a : vms.virtio(n)) {
                a.blk().ifPresent(b -> {
                    var c = b.counters();
                    out.add(String.format("virtio-blk %s.%s (%s): %,d reads (%,d bytes), %,d writes (%,d bytes), %,d flushes,"
                                    + " %,d I/O errors, %,d unsupported", n, a.name(), b.backend().describe(), c.reads(),
                            c.bytesRead(), c.writes(), c.bytesWritten(), c.flushes(), c.ioErrors(), c.unsupported()));
                });
            }
        }
        return out;
    }

    private static void printStats(VmEvent.Stopped s) {
        System.err.printf("sel4sim: VM %s ran %.3f s of simulated time: %s%n", s.vm(), s.simulatedNs() / 1e9, s.stats());
        for (String n : s.notes()) {
            System.err.println("sel4sim: VM " + s.vm() + ": " + n);
        }
    }

    private static int report(VmEvent.Stopped s, ExpectScript expect) {
        System.err.printf("%nsel4sim: VM %s: %s%n", s.vm(), s.why().describe());
        printStats(s);
        if (expect != null) {
            System.err.printf("sel4sim: the VM stopped while waiting for %s%n", expect.waitingFor());
            return ExitCodes.VM_FAILED;
        }
        return s.why() instanceof VmStop.PoweredOff ? ExitCodes.OK : ExitCodes.VM_FAILED;
    }

    private static String tail(String s, int n) {
        return s.length() <= n ? s : s.substring(s.length() - n);
    }

    private static void terminal(PrintStream out, int b) {
        out.write(b);
        if (b == '\n' || b == ' ' || b == '>') {
            out.flush();
        }
    }

    private static ConsoleDriver otherConsole(PrintStream out, String name) {
        return new ConsoleDriver() {
            private boolean lineStart = true;

            @Override
            public void output(int b) {
                synchronized (out) {
                    if (lineStart) {
                        out.print("[" + name + "] ");
                    }
                    terminal(out, b);
                    lineStart = b == '\n';
                }
            }

            @Override
            public byte[] input() {
                return null;
            }
        };
    }

    /** Ctrl-] ends an interactive run, as telnet's escape does; everything else goes to the guest. */
    private static final int QUIT = 0x1d;

    private static void startInput(java.util.function.Consumer<byte[]> typed, CompletableFuture<Void> quit) {
        RawTerminal raw = RawTerminal.enter();
        if (raw.active()) {
            System.err.print("sel4sim: console attached; Ctrl-] quits\r\n");
            Runtime.getRuntime().addShutdownHook(new Thread(raw::restore));
            quit.whenComplete((v, e) -> raw.restore());
        }
        Thread t = new Thread(() -> {
            InputStream in = System.in;
            byte[] buf = new byte[256];
            try {
                int n;
                while ((n = in.read(buf)) > 0) {
                    int q = -1;
                    for (int i = 0; i < n; i++) {
                        if ((buf[i] & 0xff) == QUIT && raw.active()) {
                            q = i;
                            break;
                        }
                    }
                    if (q != 0) {
                        typed.accept(java.util.Arrays.copyOf(buf, q < 0 ? n : q));
                    }
                    if (q >= 0) {
                        quit.complete(null);
                        return;
                    }
                }
            } catch (IOException e) {
                // The terminal went away: the run goes on without input.
            }
        }, "console-input");
        t.setDaemon(true);
        t.start();
    }
}
