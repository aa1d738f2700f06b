package dev.sel4sim.systemtest;

import static org.junit.jupiter.api.Assertions.*;

import dev.sel4sim.system.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The user's path: {@code sel4sim run FILE} with the paced clock, as the README shows it. */
class CommandLineTest {
    @Test
    void runTheDemoFileForTwoSeconds() {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.execute("run", "--duration", "2s", "../conf/systems/demo.conf");
        } finally {
            System.setOut(old);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text);
        assertTrue(text.contains("[client] called reverse with \"seL4\", got \"4Les\""), text);
        assertTrue(text.contains("[driver] tick 3 at "), text);
        assertTrue(text.contains("sel4sim: stopped after 2.0 s"), text);
    }

    @Test
    void theTimeServerMultiplexesOneHardwareTimerForTwoClients() {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.execute("run", "../conf/systems/timeserver.conf");
        } finally {
            System.setOut(old);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text);
        // Virtual time: each periodic timeout completes on the 1 ms tick at its deadline.
        for (int i = 1; i <= 5; i++) {
            assertTrue(text.contains("[fast] timeout " + i + " at " + (i * 100) + ".0 ms (simulated)"), text);
        }
        for (int i = 1; i <= 3; i++) {
            assertTrue(text.contains("[slow] timeout " + i + " at " + (i * 250) + ".0 ms (simulated)"), text);
        }
        assertFalse(text.contains("[fast] timeout 6"), "the client stopped its timer after five: " + text);
    }
}
