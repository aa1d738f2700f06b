package dev.sel4sim.systemtest;

import dev.sel4sim.system.assembly.Systems;
import dev.sel4sim.system.assembly.VmLauncher;
import dev.sel4sim.system.config.SystemSpec;
import dev.sel4sim.system.console.ExpectScript;
import dev.sel4sim.vmm.actor.VmEvent;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.SpawnProtocol;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * Runs a system file with VMs the way {@code sel4sim run FILE --expect ... --send ...} does:
 * parse, launch every VM under its VMM actor, drive the first VM's console with an expect
 * script. The guest images come from scripts/fetch-guests.sh (the README's test command runs it).
 */
final class GuestRun {
    static final Path ROOT = findRoot();

    /** How a run ended. */
    record Result(boolean matched, String transcript, VmEvent.Stopped stopped, long wallMs) {
        String tail() {
            return transcript.length() < 3000 ? transcript : transcript.substring(transcript.length() - 3000);
        }
    }

    private GuestRun() {
    }

    static Path conf(String name) {
        return ROOT.resolve("conf/systems").resolve(name);
    }

    static Result run(String confName, UnaryOperator<String> edit, List<ExpectScript.Step> steps, Duration timeout) throws Exception {
        Path file = conf(confName);
        String text = edit.apply(Files.readString(file));
        SystemSpec spec = Systems.loadText(text, file.toString());
        ExpectScript script = new ExpectScript(steps, null);
        ActorSystem<SpawnProtocol.Command> system = ActorSystem.create(SpawnProtocol.create(), "guest-" + confName.replace('.', '-'));
        long start = System.nanoTime();
        try {
            VmLauncher vms = VmLauncher.start(spec, system, n -> script);
            CompletableFuture<VmEvent.Stopped> stop = vms.anyStopped();
            try {
                CompletableFuture.anyOf(stop, script.done()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                // reported through matched = false
            }
            boolean matched = script.done().isDone();
            vms.shutdown("test over");
            VmEvent.Stopped s = stop.get(20, TimeUnit.SECONDS);
            return new Result(matched, script.transcript(), s, (System.nanoTime() - start) / 1_000_000);
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
        }
    }

    static void requireGuests() {
        Path guests = ROOT.resolve(".cache/guests/arm64");
        if (!Files.isReadable(guests.resolve("Image")) || !Files.isReadable(guests.resolve("u-boot.bin"))
                || !Files.isReadable(guests.resolve("initramfs.cpio.gz"))) {
            throw new IllegalStateException("guest images missing in " + guests + ": run scripts/fetch-guests.sh"
                    + " (scripts/test.sh does)");
        }
    }

    private static Path findRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("conf/systems"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("conf/systems not found above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
