package dev.sel4sim.servers.serial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SerialMuxTest {
    private static final String ESC = "\u001b[";

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static SerialMux plain(String... names) {
        SerialMux m = new SerialMux(MuxSettings.plain());
        for (String n : names) {
            m.register(ClientSpec.of(n));
        }
        return m;
    }

    @Test
    void everyLineStartsWithItsClientsPrefix() {
        SerialMux m = plain("vm0");
        assertEquals("[vm0] one\n[vm0] two\n[vm0] thr", s(m.output("vm0", b("one\ntwo\nthr"))));
        assertEquals("ee\n", s(m.output("vm0", b("ee\n"))));
        assertEquals("[vm0] \n", s(m.output("vm0", b("\n"))), "an empty line still shows whose it is");
    }

    @Test
    void givenPrefixIsUsed() {
        SerialMux m = new SerialMux(MuxSettings.plain());
        m.register(ClientSpec.of("linux").withPrefix("linux| "));
        assertEquals("linux| login:", s(m.output("linux", b("login:"))));
    }

    @Test
    void coloursAreHandedOutRoundRobinUnlessGiven() {
        SerialMux m = new SerialMux(MuxSettings.terminal());
        SerialClient a = m.register(ClientSpec.of("a"));
        SerialClient b = m.register(ClientSpec.of("b"));
        SerialClient c = m.register(ClientSpec.of("c").withColour(AnsiColour.CYAN));
        SerialClient d = m.register(ClientSpec.of("d"));
        assertEquals(List.of(AnsiColour.RED, AnsiColour.GREEN, AnsiColour.CYAN, AnsiColour.MAGENTA),
                List.of(a.colour(), b.colour(), c.colour(), d.colour()));
        assertEquals(AnsiColour.palette(0), AnsiColour.palette(AnsiColour.values().length), "the palette wraps");
        assertEquals(ESC + "31m[a] " + ESC + "0mhi\r\n", s(m.output("a", b("hi\n"))));
        assertEquals(ESC + "36m[c] " + ESC + "0mho\r\n", s(m.output("c", b("ho\r\n"))));
    }

    @Test
    void colourCanBeSwitchedOff() {
        SerialMux m = new SerialMux(MuxSettings.terminal().withColour(false));
        m.register(ClientSpec.of("a"));
        String out = s(m.output("a", b("hi\n")));
        assertEquals("[a] hi\r\n", out);
        assertTrue(out.indexOf(0x1b) < 0);
    }

    @Test
    void anotherClientMidLineEndsThePartialLineAndItResumesWithItsPrefix() {
        SerialMux m = plain("vm0", "vm1");
        StringBuilder screen = new StringBuilder();
        screen.append(s(m.output("vm0", b("Booting Lin"))));
        screen.append(s(m.output("vm1", b("U-Boot 2024"))));
        screen.append(s(m.output("vm0", b("ux 6.1\nok "))));
        screen.append(s(m.output("vm1", b(".01\n"))));
        screen.append(s(m.output("vm0", b("done\n"))));
        assertEquals("""
                [vm0] Booting Lin
                [vm1] U-Boot 2024
                [vm0] ux 6.1
                [vm0] ok\s
                [vm1] .01
                [vm0] done
                """, screen.toString());
    }

    @Test
    void anInterruptedLineEndedByItsClientAddsNoEmptyLine() {
        SerialMux m = plain("a", "b");
        String screen = s(m.output("a", b("x"))) + s(m.output("b", b("y"))) + s(m.output("a", b("\n"))) + s(m.output("b", b("z\n")));
        assertEquals("[a] x\n[b] yz\n", screen);
    }

    @Test
    void crLfIsOneLineEndEvenWhenSplitAcrossChunks() {
        SerialMux m = plain("vm0", "vm1");
        String screen = s(m.output("vm0", b("one\r"))) + s(m.output("vm0", b("\ntwo\r\r\n")));
        assertEquals("[vm0] one\n[vm0] two\n", screen);
        // A CR left pending while another client prints still becomes a line end.
        screen = s(m.output("vm0", b("three\r"))) + s(m.output("vm1", b("x\n"))) + s(m.output("vm0", b("\nfour\n")));
        assertEquals("[vm0] three\n[vm1] x\n[vm0] four\n", screen);
    }

    @Test
    void loneCrStaysWithinTheLineAndRedrawsThePrefix() {
        SerialMux m = plain("vm0");
        assertEquals("[vm0] 10%\r[vm0] 20%\n", s(m.output("vm0", b("10%\r20%\n"))));
        assertEquals("[vm0] a\r[vm0] b", s(m.output("vm0", b("a\r"))) + s(m.output("vm0", b("b"))));
    }

    @Test
    void escapeAndDigitMovesTheFocusWithANotice() {
        SerialMux m = plain("vm0", "vm1");
        assertEquals("vm0", m.focus());
        InputResult r = m.input(b("ls\r@1pwd\r"));
        assertEquals(List.of(new Delivery("vm0", b("ls\r")), new Delivery("vm1", b("pwd\r"))), r.deliveries());
        assertEquals(List.of("-- input to vm1 --"), r.notices());
        assertEquals("vm1", m.focus());
        assertEquals("-- input to vm1 --\n", s(m.notice(r.notices().getFirst())));
    }

    @Test
    void inputReachesOnlyTheFocusedClient() {
        SerialMux m = plain("vm0", "vm1", "vm2");
        m.register(ClientSpec.outputOnly("timer"));
        assertEquals(List.of(new Delivery("vm0", b("abc"))), m.input(b("abc")).deliveries());
        m.input(b("\r@2"));
        List<Delivery> d = m.input(b("xyz")).deliveries();
        assertEquals(List.of(new Delivery("vm2", b("xyz"))), d);
        assertTrue(d.stream().noneMatch(x -> x.client().equals("vm0") || x.client().equals("vm1")));
    }

    @Test
    void escapeTwiceSendsItLiterally() {
        SerialMux m = plain("vm0", "vm1");
        InputResult r = m.input(b("@@1\r"));
        assertEquals(List.of(new Delivery("vm0", b("@1\r"))), r.deliveries());
        assertTrue(r.notices().isEmpty());
        assertEquals("vm0", m.focus());
    }

    @Test
    void escapeCountsOnlyAtLineStartByDefault() {
        SerialMux m = plain("vm0", "vm1");
        InputResult r = m.input(b("mail me@1x.org\r"));
        assertEquals(List.of(new Delivery("vm0", b("mail me@1x.org\r"))), r.deliveries());
        assertEquals("vm0", m.focus());
    }

    @Test
    void escapeAnywhereWhenConfigured() {
        SerialMux m = new SerialMux(MuxSettings.plain().withEscapeAnywhere());
        m.register(ClientSpec.of("vm0"));
        m.register(ClientSpec.of("vm1"));
        assertEquals(List.of(new Delivery("vm0", b("ab")), new Delivery("vm1", b("c"))), m.input(b("ab@1c")).deliveries());
    }

    @Test
    void escapeSplitAcrossReadsStillWorks() {
        SerialMux m = plain("vm0", "vm1");
        assertTrue(m.input(b("@")).deliveries().isEmpty());
        assertEquals(List.of("-- input to vm1 --"), m.input(b("1")).notices());
        assertEquals("vm1", m.focus());
    }

    @Test
    void escapeIsConfigurable() {
        SerialMux m = new SerialMux(MuxSettings.plain().withEscape(MuxSettings.parseEscape("^]")));
        m.register(ClientSpec.of("vm0"));
        m.register(ClientSpec.of("vm1"));
        InputResult r = m.input(b("@1\r\u001d1x"));
        assertEquals(List.of(new Delivery("vm0", b("@1\r")), new Delivery("vm1", b("x"))), r.deliveries());
        assertEquals(List.of("-- input to vm1 --"), r.notices());
    }

    @Test
    void unknownClientNumberAndOtherKeys() {
        SerialMux m = plain("vm0", "vm1");
        InputResult r = m.input(b("@7"));
        assertEquals(List.of("-- no client 7; 0 vm0, 1 vm1 --"), r.notices());
        assertTrue(r.deliveries().isEmpty());
        assertEquals("vm0", m.focus());
        assertEquals(List.of(new Delivery("vm0", b("@x"))), m.input(b("@x")).deliveries(), "an escape before another key is passed on");
        assertTrue(m.input(b("\r@?")).notices().getFirst().contains("0 vm0, 1 vm1"));
    }

    @Test
    void outputOnlyClientsGetNoNumber() {
        SerialMux m = new SerialMux(MuxSettings.plain());
        SerialClient t = m.register(ClientSpec.outputOnly("timer"));
        assertEquals(-1, t.number());
        assertNull(m.focus());
        assertTrue(m.input(b("keys")).deliveries().isEmpty());
        SerialClient v = m.register(ClientSpec.of("vm0"));
        assertEquals(0, v.number());
        assertEquals("vm0", m.focus());
    }

    @Test
    void noticeEndsAnOpenLineFirst() {
        SerialMux m = plain("vm0");
        assertEquals("[vm0] half\n-- hello --\n", s(m.output("vm0", b("half"))) + s(m.notice("-- hello --")));
        assertEquals("[vm0] rest\n", s(m.output("vm0", b("rest\n"))));
        assertEquals("", s(m.finish()));
        m.output("vm0", b("open"));
        assertEquals("\n", s(m.finish()));
    }

    @Test
    void badUseGivesClearErrors() {
        SerialMux m = plain("vm0");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.output("vm9", b("x")));
        assertTrue(e.getMessage().contains("vm9") && e.getMessage().contains("[vm0]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> m.register(ClientSpec.of("vm0")));
        assertThrows(IllegalArgumentException.class, () -> MuxSettings.plain().withEscape('3'));
        assertThrows(IllegalArgumentException.class, () -> MuxSettings.parseEscape("ab"));
        assertThrows(IllegalArgumentException.class, () -> ClientSpec.of("x").withPrefix("a\nb"));
    }
}
