package dev.sel4sim.bench;

import dev.sel4sim.vmm.actor.ConsoleDriver;
import dev.sel4sim.vmm.actor.VmmCommand;
import org.apache.pekko.actor.typed.ActorRef;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A guest's shell on its PL011 console, driven from the benchmark's own thread: wait for output,
 * type commands, and read VM state on the VM's thread between slices.
 *
 * <p>Typing goes to the VMM actor as {@link VmmCommand.Input}, which wakes an idle VM at once;
 * an expect script's input is only polled while the VM runs, and a shell waiting for a line
 * mostly sleeps in WFI.
 */
final class GuestShell implements ConsoleDriver {
    private static final int KEEP = 256 * 1024;

    private final String name;
    private final StringBuilder output = new StringBuilder();
    private final ConcurrentLinkedQueue<Runnable> onVmThread = new ConcurrentLinkedQueue<>();
    private volatile ActorRef<VmmCommand> vmm;
    private int searchFrom;
    private int commands;

    GuestShell(String name) {
        this.name = name;
    }

    /** The VMM actor that runs this console's VM; typing needs it. */
    void attach(ActorRef<VmmCommand> vmm) {
        this.vmm = vmm;
    }

    @Override
    public void output(int b) {
        synchronized (output) {
            output.append((char) (b & 0xff));
            output.notifyAll();
        }
    }

    @Override
    public byte[] input() {
        // Polled between slices on the VM's thread: the one place where VM state may be read.
        for (Runnable r; (r = onVmThread.poll()) != null; ) {
            r.run();
        }
        return null;
    }

    /** What {@link #expect} found: the output before the match, and the match. */
    record Match(String before, MatchResult match) {
    }

    /** Waits until the output since the previous match matches {@code regex}. */
    Match expect(String regex, Duration timeout) {
        Pattern p = Pattern.compile(regex, Pattern.MULTILINE);
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (output) {
            while (true) {
                Matcher m = p.matcher(output);
                m.region(searchFrom, output.length());
                if (m.find()) {
                    Match found = new Match(output.substring(searchFrom, m.start()), m.toMatchResult());
                    searchFrom = m.end();
                    trim();
                    return found;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException(name + ": no output matching /" + regex + "/ within " + timeout.toSeconds()
                            + " s; the console ends with:\n" + tail(2000));
                }
                try {
                    output.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(name + ": interrupted", e);
                }
            }
        }
    }

    /** Types {@code text} and Enter. */
    void type(String text) {
        ActorRef<VmmCommand> ref = vmm;
        if (ref == null) {
            throw new IllegalStateException(name + ": no VMM attached");
        }
        ref.tell(new VmmCommand.Input((text + "\n").getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Runs a shell command and returns what it printed, after the shell's echo of the typed line
     * (which line editing may redraw over several lines: look for output that the typed text cannot
     * contain, for instance a word printed with quotes inside it). The end marker is typed that way.
     */
    String run(String command, Duration timeout) {
        int n = ++commands;
        type(command + "; echo @@EN\"\"D" + n + "@@");
        String all = expect("@@END" + n + "@@", timeout).before();
        // The first line is the shell's echo of what was typed.
        int nl = all.indexOf('\n');
        return (nl < 0 ? "" : all.substring(nl + 1)).replace("\r", "");
    }

    /** Runs {@code what} on the VM's thread between slices and returns its result. */
    <T> T onVmThread(Supplier<T> what, Duration timeout) {
        CompletableFuture<T> result = new CompletableFuture<>();
        onVmThread.add(() -> {
            try {
                result.complete(what.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        vmm.tell(new VmmCommand.Wake());
        try {
            return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(name + ": could not read VM state: " + e, e);
        }
    }

    /** The last {@code chars} characters of console output. */
    String tail(int chars) {
        synchronized (output) {
            return output.substring(Math.max(0, output.length() - chars));
        }
    }

    private void trim() {
        if (searchFrom > KEEP) {
            output.delete(0, searchFrom);
            searchFrom = 0;
        }
    }
}
