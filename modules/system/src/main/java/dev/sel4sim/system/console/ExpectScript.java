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
         * Wait until each pattern has matched the output since the previous step, in any order
         * (several VMs booting side by side on one terminal).
         */
        record ExpectAll(List<Pattern> patterns) implements Step {
            public ExpectAll {
                patterns = List.copyOf(patterns);
            }
        }

        static Step expectAll(List<String> regexes) {
            return new ExpectAll(regexes.stream().map(r -> Pattern.compile(r, Pattern.MULTILINE)).toList());
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
    private int[] allEnds;
    private int[] allChecked;

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
                case Step.ExpectAll a -> "output matching all of " + a.patterns().stream().map(p -> "/" + p.pattern() + "/").toList()
                        + " (step " + (index + 1) + " of " + steps.size() + ")";
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
                    case Step.ExpectAll a -> {
                        if (window.length() == checkedUpTo) {
                            return null;
                        }
                        // Each pattern searches on from where it last failed; the step ends at the furthest match.
                        if (allEnds == null) {
                            allEnds = new int[a.patterns().size()];
                            allChecked = new int[a.patterns().size()];
                            java.util.Arrays.fill(allEnds, -1);
                        }
                        boolean all = true;
                        for (int i = 0; i < allEnds.length; i++) {
                            if (allEnds[i] >= 0) {
                                continue;
                            }
                            Matcher m = a.patterns().get(i).matcher(window);
                            m.region(Math.max(0, allChecked[i] - 4096), window.length());
                            if (m.find()) {
                                allEnds[i] = m.end();
                            } else {
                                allChecked[i] = window.length();
                                all = false;
                            }
                        }
                        checkedUpTo = window.length();
                        if (!all) {
                            return null;
                        }
                        window.delete(0, java.util.Arrays.stream(allEnds).max().orElse(0));
                        allEnds = null;
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
