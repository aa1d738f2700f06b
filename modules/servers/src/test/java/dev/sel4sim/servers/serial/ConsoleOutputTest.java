package dev.sel4sim.servers.serial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsoleOutputTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void ipcLinesBecomePrefixedConsoleLines() {
        List<String> lines = new ArrayList<>();
        ConsoleOutput out = new ConsoleOutput(lines::add);
        assertTrue(out.write("client", b("called reverse\n")).toCompletableFuture().isDone());
        out.write("driver", b("tick 1\nticks: ünïcode\n"));
        assertEquals(List.of("[client] called reverse", "[driver] tick 1", "[driver] ticks: ünïcode"), lines);
    }

    @Test
    void aPartialLineIsHeldUntilInterruptedOrEnded() {
        List<String> lines = new ArrayList<>();
        ConsoleOutput out = new ConsoleOutput(lines::add);
        out.write("a", b("half"));
        assertEquals(List.of(), lines);
        out.write("b", b("whole\n"));
        out.write("a", b(" more\r\n"));
        assertEquals(List.of("[a] half", "[b] whole", "[a]  more"), lines);
    }

    @Test
    void aRawTerminalMultiplexerIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ConsoleOutput(new SerialMux(MuxSettings.terminal()), l -> { }));
    }
}
