package dev.sel4sim.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints a JMH JSON result file ({@code -rf json -rff FILE}) as a Markdown table, then the
 * kernel-model / raw-Pekko ratio for each core layout, computed from that same file.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.sel4sim.bench.BenchReport results.json}
 */
public final class BenchReport {
    /** The ratio target of the IPC benchmark: the kernel model at least half as fast as raw Pekko. */
    static final double TARGET = 0.5;

    private record Pair(String layout, String kernel, String pekko) {}

    private static final List<Pair> PAIRS = List.of(
            new Pair("1 core (1 host thread)", "kernelOneCore", "pekkoOneThread"),
            new Pair("2 cores (2 host threads)", "kernelTwoCores", "pekkoTwoThreads"));

    private static final Map<String, String> WHAT = Map.of(
            "kernelOneCore", "kernel model: Call / ReplyRecv, client and server on 1 simulated core",
            "kernelTwoCores", "kernel model: Call / ReplyRecv, server on core 0, client on core 1",
            "pekkoOneThread", "raw Pekko: request / reply, both on 1 single-thread dispatcher",
            "pekkoTwoThreads", "raw Pekko: request / reply, 2 single-thread dispatchers",
            "pekkoDefaultDispatcher", "raw Pekko: request / reply, default dispatcher (reference)");

    private record Result(String name, double score, double error, String unit, List<Double> forkMeans) {}

    private BenchReport() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: BenchReport <jmh-result.json>");
            System.exit(2);
        }
        Object root = new Json(Files.readString(Path.of(args[0]))).parse();
        if (!(root instanceof List<?> runs) || runs.isEmpty()) {
            System.err.println(args[0] + ": no benchmark results (did JMH run any benchmark?)");
            System.exit(1);
            return;
        }
        Map<String, Result> results = new LinkedHashMap<>();
        for (Object o : runs) {
            Map<?, ?> run = (Map<?, ?>) o;
            String name = String.valueOf(run.get("benchmark"));
            name = name.substring(name.lastIndexOf('.') + 1);
            if (run.get("params") instanceof Map<?, ?> params && !params.isEmpty()) {
                name += params.toString();
            }
            Map<?, ?> metric = (Map<?, ?>) run.get("primaryMetric");
            List<Double> forkMeans = new ArrayList<>();
            if (metric.get("rawData") instanceof List<?> forks) {
                for (Object f : forks) {
                    List<?> iterations = (List<?>) f;
                    forkMeans.add(iterations.stream().mapToDouble(BenchReport::number).average().orElse(Double.NaN));
                }
            }
            results.put(name, new Result(name, number(metric.get("score")), number(metric.get("scoreError")),
                    String.valueOf(metric.get("scoreUnit")), forkMeans));
        }

        System.out.println("| benchmark | what | round trips/s | ± (99.9% CI) | forks: mean of each |");
        System.out.println("|---|---|---:|---:|---|");
        for (Result r : results.values()) {
            String unit = r.unit().equals("ops/s") ? "" : " " + r.unit();
            StringBuilder forks = new StringBuilder();
            for (double m : r.forkMeans()) {
                forks.append(forks.isEmpty() ? "" : ", ").append(group(m));
            }
            System.out.printf(Locale.ROOT, "| %s | %s | %s%s | %s | %s |%n", r.name(), WHAT.getOrDefault(r.name(), ""),
                    group(r.score()), unit, group(r.error()), forks);
        }

        List<String> ratios = new ArrayList<>();
        for (Pair p : PAIRS) {
            Result k = results.get(p.kernel());
            Result raw = results.get(p.pekko());
            if (k == null || raw == null || raw.score() == 0) {
                continue;
            }
            double ratio = k.score() / raw.score();
            ratios.add(String.format(Locale.ROOT, "| %s | %s | %s | %.2fx | %s |", p.layout(), group(k.score()),
                    group(raw.score()), ratio, ratio >= TARGET ? "met" : "NOT met"));
        }
        if (!ratios.isEmpty()) {
            System.out.println();
            System.out.printf(Locale.ROOT, "| layout | kernel model | raw Pekko | kernel / Pekko | target >= %.1fx |%n", TARGET);
            System.out.println("|---|---:|---:|---:|---|");
            ratios.forEach(System.out::println);
        }
    }

    private static double number(Object o) {
        if (o instanceof Double d) {
            return d;
        }
        try {
            return Double.parseDouble(String.valueOf(o)); // JMH writes "NaN" as a string
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static String group(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%,.0f", v);
    }

    /** A minimal JSON reader: objects become maps, arrays lists, numbers doubles. */
    private static final class Json {
        private final String s;
        private int i;

        Json(String s) {
            this.s = s;
        }

        Object parse() {
            Object v = value();
            skip();
            if (i != s.length()) {
                throw error("trailing text");
            }
            return v;
        }

        private Object value() {
            skip();
            if (i >= s.length()) {
                throw error("unexpected end");
            }
            char c = s.charAt(i);
            switch (c) {
                case '{' -> {
                    i++;
                    Map<String, Object> m = new LinkedHashMap<>();
                    skip();
                    if (peek('}')) {
                        return m;
                    }
                    do {
                        skip();
                        String key = string();
                        skip();
                        expect(':');
                        m.put(key, value());
                        skip();
                    } while (peek(','));
                    expect('}');
                    return m;
                }
                case '[' -> {
                    i++;
                    List<Object> l = new ArrayList<>();
                    skip();
                    if (peek(']')) {
                        return l;
                    }
                    do {
                        l.add(value());
                        skip();
                    } while (peek(','));
                    expect(']');
                    return l;
                }
                case '"' -> {
                    return string();
                }
                default -> {
                    if (s.startsWith("true", i)) {
                        i += 4;
                        return Boolean.TRUE;
                    }
                    if (s.startsWith("false", i)) {
                        i += 5;
                        return Boolean.FALSE;
                    }
                    if (s.startsWith("null", i)) {
                        i += 4;
                        return null;
                    }
                    int start = i;
                    while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                        i++;
                    }
                    if (start == i) {
                        throw error("unexpected '" + c + "'");
                    }
                    return Double.parseDouble(s.substring(start, i));
                }
            }
        }

        private String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (true) {
                if (i >= s.length()) {
                    throw error("unterminated string");
                }
                char c = s.charAt(i++);
                if (c == '"') {
                    return b.toString();
                }
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                char e = s.charAt(i++);
                switch (e) {
                    case 'n' -> b.append('\n');
                    case 't' -> b.append('\t');
                    case 'r' -> b.append('\r');
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'u' -> {
                        b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> b.append(e);
                }
            }
        }

        private void skip() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private boolean peek(char c) {
            if (i < s.length() && s.charAt(i) == c) {
                i++;
                return true;
            }
            return false;
        }

        private void expect(char c) {
            if (!peek(c)) {
                throw error("expected '" + c + "'");
            }
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException("JSON: " + what + " at offset " + i);
        }
    }
}
