package dev.sel4sim.system;

import static org.junit.jupiter.api.Assertions.*;

import dev.sel4sim.system.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
    record Result(int code, String out, String err) {}

    static Result cli(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.execute(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    static final String CONF = "../../conf/systems/";

    @Test
    void checkPrintsOneCapabilityTablePerComponent() {
        Result r = cli("check", CONF + "demo.conf");
        assertEquals(0, r.code(), r.err());
        for (String c : new String[]{"serial", "reverse", "driver", "client"}) {
            assertTrue(r.out().contains("component " + c + " (kind"), r.out());
        }
        assertTrue(r.out().contains("slot  object"), r.out());
        // The client's cap to the serial endpoint: write + grant-reply, badged.
        assertTrue(r.out().matches("(?s).*endpoint serial\\.ep\\s+WP\\s+0x1\\s+serial.*"), r.out());
        assertTrue(r.out().matches("(?s).*irq-handler irq79\\s+RWGP\\s+-\\s+timer\\.handler.*"), r.out());
    }

    @Test
    void checkWithoutFileUsesTheEmbeddedVmMinimal() {
        Result r = cli("check");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("system vm_minimal on qemu-arm-virt"), r.out());
        assertTrue(r.out().contains("vm vm0: 2 VCPUs (cortex-a53), 512 MiB RAM, GICv2, kernel guest:arm64/Image"), r.out());
    }

    @Test
    void untypedExhaustionConfigFailsCheckWithTheReason() {
        Result r = cli("check", CONF + "untyped_exhaustion.conf");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("untyped_exhaustion.conf:"), r.err());
        assertTrue(r.err().contains("memory region 'guest_ram' of 512 MiB does not fit in any single untyped: the largest untyped is 256 MiB"), r.err());
    }

    @Test
    void brokenConfigPrintsFileLineAndExitsNonZero(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("broken.conf");
        Files.writeString(f, "system {\n  name = b\n  board = qemu-arm-virt\n  components = [\n"
                + "    { name = x, kind = serial, core = 0, priority = 256 }\n  ]\n}\n");
        Result r = cli("check", f.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains(f + ":5: component 'x': priority 256 is out of range; expected 0..255"), r.err());
        Result run = cli("run", f.toString());
        assertEquals(2, run.code(), "run refuses a broken file before starting anything");
        assertTrue(run.err().contains("nothing was started"), run.err());
    }

    @Test
    void listShowsSystemsAndBoards() {
        Result r = cli("list", "--conf", "../../conf");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("demo.conf"), r.out());
        assertTrue(r.out().contains("does not check"), "the exhaustion example is listed as failing: " + r.out());
        assertTrue(r.out().contains("zcu102"), r.out());
        assertTrue(r.out().contains("pc99"), r.out());
    }

    @Test
    void helpEverywhere() {
        assertEquals(0, cli("--help").code());
        for (String sub : new String[]{"run", "check", "list"}) {
            Result r = cli(sub, "--help");
            assertEquals(0, r.code());
            assertTrue(r.out().contains("Usage: sel4sim " + sub), r.out());
        }
    }
}
