package dev.sel4sim.system.cli;

import dev.sel4sim.servers.Console;
import dev.sel4sim.system.assembly.BuiltSystem;
import dev.sel4sim.system.assembly.NetworkWiring;
import dev.sel4sim.system.assembly.RunningSystem;
import dev.sel4sim.system.assembly.Systems;
import dev.sel4sim.system.config.SystemConfigException;
import dev.sel4sim.system.config.SystemSpec;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sel4sim run [FILE]}: start a system and show what it does. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a system (default: vm_minimal, Debian's arm64 Linux on 2 VCPUs). Stops after the system's 'duration', --duration, or Ctrl-C.")
final class RunCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "system file (default: vm_minimal, one Linux VM)")
    Path file;

    @Option(names = "--duration", description = "stop after this much host time, e.g. 3s or 500ms (0: until Ctrl-C)")
    String duration;

    @Option(names = "--trace", description = "print every kernel event (IPC, signals, IRQs, faults, denials)")
    boolean trace;

    @Option(names = "--timeout", paramLabel = "SECONDS",
            description = "give up after this many host seconds (with --expect: exit non-zero and show the console's last lines)")
    double timeoutSeconds;

    private final java.util.List<dev.sel4sim.system.console.ExpectScript.Step> script = new java.util.ArrayList<>();

    @Option(names = "--expect", paramLabel = "REGEX", description = "wait for the first VM's console to match REGEX (repeatable, in order with --send)")
    void expect(String regex) {
        script.add(dev.sel4sim.system.console.ExpectScript.Step.expect(regex));
    }

    @Option(names = "--expect-all", paramLabel = "REGEX", description = "like --expect, but consecutive --expect-all options"
            + " wait together, in any order (several VMs booting side by side)")
    void expectAll(String regex) {
        if (!script.isEmpty() && script.getLast() instanceof dev.sel4sim.system.console.ExpectScript.Step.ExpectAll a) {
            java.util.List<String> all = new java.util.ArrayList<>(a.patterns().stream().map(java.util.regex.Pattern::pattern).toList());
            all.add(regex);
            script.set(script.size() - 1, dev.sel4sim.system.console.ExpectScript.Step.expectAll(all));
        } else {
            script.add(dev.sel4sim.system.console.ExpectScript.Step.expectAll(java.util.List.of(regex)));
        }
    }

    @Option(names = "--send", paramLabel = "TEXT", description = "type TEXT and Enter at the first VM's console (repeatable, in order with --expect)")
    void send(String text) {
        script.add(dev.sel4sim.system.console.ExpectScript.Step.sendLine(text));
    }

    @Override
    public Integer call() throws Exception {
        SystemSpec spec;
        BuiltSystem built;
        try {
            spec = file == null ? Systems.defaultSystem() : Systems.load(file);
            built = Systems.build(spec);
        } catch (SystemConfigException e) {
            ConfigErrors.print(e);
            return ExitCodes.CONFIG;
        }
        if (!spec.vms().isEmpty()) {
            System.out.printf("sel4sim: system %s on %s, %d VM%s, %d component%s%n", spec.name(), spec.board().id(), spec.vms().size(),
                    spec.vms().size() == 1 ? "" : "s", spec.components().size(), spec.components().size() == 1 ? "" : "s");
            long t = timeoutSeconds > 0 ? (long) (timeoutSeconds * 1e9) : (duration != null ? parse(duration) : spec.durationNs());
            try {
                return VmRun.run(spec, built, script, t, script.isEmpty());
            } catch (IllegalStateException e) {
                System.err.println("sel4sim: " + e.getMessage());
                return ExitCodes.VM_FAILED;
            }
        }
        long runNs = duration != null ? parse(duration) : spec.durationNs();
        if (trace) {
            built.kernel().addTraceSink(e -> System.out.println("trace " + e));
        }
        System.out.printf("sel4sim: system %s on %s, %d components, %d core%s, clock %s%s%n", spec.name(), spec.board().id(),
                spec.components().size(), spec.cores(), spec.cores() == 1 ? "" : "s", spec.clock().name().toLowerCase(),
                runNs > 0 ? String.format(", running for %.1f s", runNs / 1e9) : ", Ctrl-C to stop");
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "sel4sim");
        int code = ExitCodes.OK;
        try (RunningSystem running = RunningSystem.start(built, system, Console.STDOUT, "run");
             NetworkWiring net = NetworkWiring.start(spec, vm -> java.util.List.of(), () -> built.kernel().timeline().nowNs(),
                     org.apache.pekko.stream.Materializer.createMaterializer(system))) {
            Runtime.getRuntime().addShutdownHook(new Thread(system::terminate));
            net.hostPorts().forEach(line -> System.out.println("sel4sim: " + line));
            System.out.flush();
            try {
                String why = runNs > 0 ? running.simulation().escalation().get(runNs, TimeUnit.NANOSECONDS)
                        : running.simulation().escalation().get();
                System.err.println("sel4sim: " + why);
                code = ExitCodes.ESCALATED;
            } catch (TimeoutException done) {
                System.out.printf("sel4sim: stopped after %.1f s; %d IPC messages delivered%n", runNs / 1e9, built.kernel().ipcMessages());
            }
            net.report().forEach(line -> System.out.println("sel4sim: " + line));
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
        }
        return code;
    }

    private static long parse(String text) {
        return com.typesafe.config.ConfigFactory.parseString("d = " + text).getDuration("d").toNanos();
    }

}
