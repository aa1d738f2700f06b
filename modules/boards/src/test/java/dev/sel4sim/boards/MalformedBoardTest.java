package dev.sel4sim.boards;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Board files with mistakes give errors naming the file, the line and what was expected. */
class MalformedBoardTest {

    /** A small valid board; tests replace one line. */
    private static final String VALID = """
            id = "test-board"
            name = "Test board"
            architecture = aarch64
            cpu { model = cortex-a53, count = 2 }
            memory = [
              { base = "0x40000000", size = "1G" }
            ]
            physical-irq-count = 160
            interrupt-controller {
              type = gicv2
              distributor    { base = "0x08000000", size = "64K" }
              cpu-interface  { base = "0x08010000", size = "64K" }
              hyp-interface  { base = "0x08030000", size = "64K" }
              vcpu-interface { base = "0x08040000", size = "64K" }
              maintenance-irq = 25
            }
            uarts = [
              { name = uart0, kind = pl011, base = "0x09000000", size = "4K", irq = 33, console = true }
            ]
            timer {
              type = generic-timer
              intids { secure-phys = 29, non-secure-phys = 30, virtual = 27, hyp = 26 }
              counter-frequency = 62500000
            }
            stage2 { pa-bits = 40 }
            smc { default = deny }
            """;

    private static Board parse(String text) {
        return Boards.parseString(text, "test.conf");
    }

    private static int lineOf(String text, String marker) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(marker)) {
                return i + 1;
            }
        }
        throw new AssertionError("marker not found: " + marker);
    }

    private static BoardConfigException fails(String text) {
        return assertThrows(BoardConfigException.class, () -> parse(text));
    }

    @Test
    void parseAcceptsAnAlreadyParsedConfig() {
        Board b = Boards.parse(com.typesafe.config.ConfigFactory.parseString(VALID));
        assertEquals("test-board", b.id());
    }

    @Test
    void theValidBoardParses() {
        Board b = parse(VALID);
        assertEquals("test-board", b.id());
        assertEquals(3, b.stage2().levels());
        assertEquals(2, b.cpu().kernelCores());
    }

    @Test
    void badHexNamesTheLine() {
        String text = VALID.replace("base = \"0x09000000\"", "base = \"0x9zz\"");
        BoardConfigException e = fails(text);
        assertEquals(lineOf(text, "0x9zz"), e.line());
        assertEquals("uarts[0].base", e.setting());
        assertTrue(e.getMessage().startsWith("test.conf:" + e.line() + ": uarts[0].base: expected a number"),
                e.getMessage());
    }

    @Test
    void irqAbovePhysicalIrqCount() {
        String text = VALID.replace("irq = 33", "irq = 300");
        BoardConfigException e = fails(text);
        assertEquals(lineOf(text, "irq = 300"), e.line());
        assertTrue(e.getMessage().contains("below physical-irq-count (160)"), e.getMessage());
    }

    @Test
    void ppiNumberWhereAnIntidIsExpected() {
        String text = VALID.replace("virtual = 27", "virtual = 11");
        BoardConfigException e = fails(text);
        assertEquals(lineOf(text, "virtual = 11"), e.line());
        assertTrue(e.getMessage().contains("PPI INTID (16..31"), e.getMessage());
    }

    @Test
    void overlappingRamRegions() {
        String text = VALID.replace("{ base = \"0x40000000\", size = \"1G\" }",
                "{ base = \"0x40000000\", size = \"1G\" }\n  { base = \"0x7ff00000\", size = \"2M\" }");
        BoardConfigException e = fails(text);
        assertEquals(lineOf(text, "0x7ff00000"), e.line());
        assertTrue(e.getMessage().contains("overlaps"), e.getMessage());
    }

    @Test
    void deviceInsideRam() {
        String text = VALID.replace("base = \"0x09000000\"", "base = \"0x40001000\"");
        BoardConfigException e = fails(text);
        assertEquals(lineOf(text, "0x40001000"), e.line());
        assertTrue(e.getMessage().contains("overlaps RAM"), e.getMessage());
    }

    @Test
    void missingSettingNamesTheEnclosingObject() {
        String text = VALID.replace("  maintenance-irq = 25\n", "");
        BoardConfigException e = fails(text);
        assertEquals("interrupt-controller.maintenance-irq", e.setting());
        assertEquals(lineOf(text, "interrupt-controller {"), e.line());
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
    }

    @Test
    void levelsThatDoNotMatchTheAddressWidth() {
        String text = VALID.replace("stage2 { pa-bits = 40 }", "stage2 { pa-bits = 40, levels = 4 }");
        BoardConfigException e = fails(text);
        assertEquals(lineOf(text, "levels = 4"), e.line());
        assertTrue(e.getMessage().contains("expected 3"), e.getMessage());
    }

    @Test
    void unknownEnumValueListsTheAllowedOnes() {
        String text = VALID.replace("kind = pl011", "kind = pl012");
        BoardConfigException e = fails(text);
        assertTrue(e.getMessage().contains("expected one of pl011"), e.getMessage());
        assertEquals(lineOf(text, "pl012"), e.line());
    }

    @Test
    void gicv3WithoutRedistributor() {
        String text = VALID.replace("type = gicv2", "type = gicv3");
        BoardConfigException e = fails(text);
        assertTrue(e.getMessage().contains("a GICv3 needs"), e.getMessage());
    }

    @Test
    void noConsole() {
        String text = VALID.replace(", console = true", "");
        BoardConfigException e = fails(text);
        assertTrue(e.getMessage().contains("exactly one UART with console = true"), e.getMessage());
    }

    @Test
    void allowListNeedsFunctions() {
        String text = VALID.replace("smc { default = deny }", "smc { default = allow-list }");
        BoardConfigException e = fails(text);
        assertTrue(e.getMessage().contains("allow-list needs"), e.getMessage());
    }

    @Test
    void syntaxErrorNamesTheLine() {
        String text = VALID.replace("name = \"Test board\"", "name = \"Test board");
        BoardConfigException e = assertThrows(BoardConfigException.class,
                () -> Boards.parseString(text, "test.conf"));
        assertEquals(lineOf(text, "name = "), e.line());
        assertTrue(e.getMessage().startsWith("test.conf:2: "), e.getMessage());
    }
}
