package dev.sel4sim.system.console;

import dev.sel4sim.vmm.actor.ConsoleDriver;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An expect script over a VM console: wait for a regular expression, type a line, wait
 * again, in the order given. It runs inside the VM's loop ({@link ConsoleDriver}), so in a
 * deterministic VM the input arrives at the same simulated instant on every run.
 */
public final class ExpectScript implements ConsoleDriver {
    /** One step of the script. */
    public sealed interface Step {
        /** Wait until the console output (since the previous match) matches. */
        record Expect(Pattern pattern) implements Step {
        }

        /** Type these bytes. */
        record Send(byte[] bytes) implements Step {
        }

        /**
         * Do something outside the console at this point of the script (feed another device,
         * inject a fault). It runs on the VM's thread, inside its loop: keep it short.
         */
        record Run(Runnable action) implements Step {
        }

        static Step run(Runnable action) {
            return new Run(action);
        }

        static Step expect(String regex) {
            return new Expect(Pattern.compile(regex, Pattern.MULTILINE));
        }

        /** A line typed at the console: the text and Enter. */
        static Step sendLine(String text) {
            return new Send((text + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    private static final int TAIL = 64 * 1024;

    private final List<Step> steps;
    private final IntConsumer echo;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final StringBuilder window = new StringBuilder();
    private final StringBuilder transcript = new StringBuilder();
    private final Object lock = new Object();
    private int index;
    private int checkedUpTo;

    /** @param echo where every output byte also goes (the terminal), or null */
    public ExpectScript(List<Step> steps, IntConsumer echo) {
        this.steps = new ArrayList<>(steps);
        this.echo = echo;
        if (this.steps.isEmpty()) {
            done.complete(null);
        }
    }

    /** Completes when the last step has happened. */
    public CompletableFuture<Void> done() {
        return done;
    }

    /** Which step the script waits at (for the timeout message). */
    public String waitingFor() {
        synchronized (lock) {
            if (index >= steps.size()) {
                return "nothing (finished)";
            }
            return switch (steps.get(index)) {
                case Step.Expect e -> "output matching /" + e.pattern().pattern() + "/ (step " + (index + 1) + " of " + steps.size() + ")";
                case Step.Send s -> "sending input (step " + (index + 1) + ")";
                case Step.Run r -> "running an action (step " + (index + 1) + ")";
            };
        }
    }

    /** The last 64 KiB of console output. */
    public String transcript() {
        synchronized (lock) {
            return transcript.toString();
        }
    }

    @Override
    public void output(int b) {
        if (echo != null) {
            echo.accept(b);
        }
        char c = (char) (b & 0xff);
        synchronized (lock) {
            transcript.append(c);
            if (transcript.length() > TAIL * 2) {
                transcript.delete(0, transcript.length() - TAIL);
            }
            window.append(c);
        }
    }

    @Override
    public byte[] input() {
        synchronized (lock) {
            while (index < steps.size()) {
                switch (steps.get(index)) {
                    case Step.Expect e -> {
                        if (window.length() == checkedUpTo) {
                            return null;
                        }
                        Matcher m = e.pattern().matcher(window);
                        m.region(Math.max(0, checkedUpTo - 4096), window.length());
                        if (!m.find()) {
                            checkedUpTo = window.length();
                            return null;
                        }
                        window.delete(0, m.end());
                        checkedUpTo = 0;
                        advance();
                    }
                    case Step.Send s -> {
                        advance();
                        return s.bytes();
                    }
                    case Step.Run r -> {
                        advance();
                        r.action().run();
                    }
                }
            }
            return null;
        }
    }

    private void advance() {
        index++;
        if (index >= steps.size()) {
            done.complete(null);
        }
    }
}
