package dev.sel4sim.vmm.boot.fdt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Runs the device tree compiler from Debian's device-tree-compiler package, when it is installed. */
public final class Dtc {

    /** What one run printed. */
    public record Result(int exitCode, byte[] stdout, String stderr) {
        /** @return standard output as text */
        public String text() {
            return new String(stdout, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private Dtc() {
    }

    /** Skips the calling test when {@code dtc} is not on PATH. */
    public static void assumeInstalled() {
        assumeTrue(find() != null, "dtc is not installed (apt-get install device-tree-compiler)");
    }

    /**
     * Runs {@code dtc -I <in> -O <out>} on the input.
     *
     * @param input the bytes to compile or decompile
     * @param inFormat {@code dtb} or {@code dts}
     * @param outFormat {@code dtb} or {@code dts}
     * @return exit code, output and diagnostics
     */
    public static Result run(byte[] input, String inFormat, String outFormat) throws IOException,
            InterruptedException {
        Path dir = Files.createTempDirectory("sel4sim-dtc");
        try {
            Path in = dir.resolve("in." + inFormat);
            Path out = dir.resolve("out." + outFormat);
            Path err = dir.resolve("err.txt");
            Files.write(in, input);
            List<String> cmd = new ArrayList<>(List.of(find().toString(), "-I", inFormat, "-O", outFormat,
                    "-o", out.toString(), in.toString()));
            Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("dtc did not finish in 30 s");
            }
            byte[] output = Files.exists(out) ? Files.readAllBytes(out) : new byte[0];
            return new Result(p.exitValue(), output, Files.readString(err));
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    private static Path find() {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "dtc");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
