package dev.sel4sim.system.console;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExpectScriptTest {
    static void type(ExpectScript s, String text) {
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            s.output(b);
        }
    }

    @Test
    void stepsHappenInOrderAndEachExpectOnlySeesOutputAfterThePreviousMatch() {
        ExpectScript s = new ExpectScript(List.of(ExpectScript.Step.expect("# $"), ExpectScript.Step.sendLine("nproc"),
                ExpectScript.Step.expect("^2\\r?$"), ExpectScript.Step.sendLine("echo DONE"), ExpectScript.Step.expect("^DONE")), null);
        assertNull(s.input());
        type(s, "booting\n# ");
        assertArrayEquals("nproc\n".getBytes(), s.input());
        assertNull(s.input());
        type(s, "nproc\r\n");
        assertNull(s.input(), "the echoed command is not the answer");
        type(s, "2\r\n# ");
        assertArrayEquals("echo DONE\n".getBytes(), s.input());
        type(s, "echo DONE\r\n");
        assertNull(s.input());
        assertFalse(s.done().isDone());
        type(s, "DONE\r\n");
        s.input();
        assertTrue(s.done().isDone());
    }

    @Test
    void expectAllWaitsForEveryPatternInAnyOrderThenGoesOnAfterTheLastMatch() {
        ExpectScript s = new ExpectScript(List.of(ExpectScript.Step.expectAll(List.of("\\[a\\] # ", "\\[b\\] # ")),
                ExpectScript.Step.sendLine("go"), ExpectScript.Step.expect("after")), null);
        type(s, "[b] booting\n[b] # ");
        assertNull(s.input(), "only b's prompt so far");
        type(s, "[a] booting\n".repeat(400));
        assertNull(s.input(), "a long boot later, still only b's prompt");
        type(s, "[a] # ");
        assertArrayEquals("go\n".getBytes(), s.input(), "both prompts seen, b's first");
        type(s, "after");
        s.input();
        assertTrue(s.done().isDone());
    }
}
