package dev.sel4sim.servers.serial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.japi.pf.PFBuilder;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.testkit.TestPublisher;
import org.apache.pekko.stream.testkit.TestSubscriber;
import org.apache.pekko.stream.testkit.javadsl.TestSink;
import org.apache.pekko.stream.testkit.javadsl.TestSource;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class SerialHubTest {
    private static final ActorTestKit KIT = ActorTestKit.create();
    private static final Materializer MAT = Materializer.matFromSystem(KIT.system());

    @AfterAll
    static void stop() {
        KIT.shutdownTestKit();
    }

    private static ByteString bs(String s) {
        return ByteString.fromString(s, StandardCharsets.ISO_8859_1);
    }

    /** A started hub whose terminal is a pair of probes: keystrokes in, screen out. */
    private record Terminal(SerialHub hub, TestPublisher.Probe<ByteString> keys, TestSubscriber.Probe<ByteString> screen) {
        static Terminal start(int clientBuffer, ClientSpec... clients) {
            Pair<TestPublisher.Probe<ByteString>, Source<ByteString, org.apache.pekko.NotUsed>> keys =
                    TestSource.<ByteString>probe(KIT.system().classicSystem()).preMaterialize(MAT);
            Pair<TestSubscriber.Probe<ByteString>, Sink<ByteString, org.apache.pekko.NotUsed>> screen =
                    TestSink.<ByteString>probe(KIT.system().classicSystem()).preMaterialize(MAT);
            SerialHub hub = SerialHub.start(MuxSettings.plain(), List.of(clients), keys.second(), screen.second(), clientBuffer, MAT);
            return new Terminal(hub, keys.first(), screen.first());
        }

        /** Reads screen chunks until {@code text} has arrived in full; returns everything read. */
        String screenUntil(String text) {
            StringBuilder sb = new StringBuilder();
            while (!sb.toString().contains(text)) {
                sb.append(screen.requestNext(Duration.ofSeconds(5)).decodeString(StandardCharsets.ISO_8859_1));
            }
            return sb.toString();
        }
    }

    /** A client attached with probes on both sides: its output (guest) and its keystrokes. */
    private record Client(TestPublisher.Probe<ByteString> out, TestSubscriber.Probe<ByteString> keys) {
        static Client attach(SerialHub hub, String name) {
            Pair<TestPublisher.Probe<ByteString>, TestSubscriber.Probe<ByteString>> p = TestSource.<ByteString>probe(KIT.system().classicSystem())
                    .via(hub.client(name))
                    .toMat(TestSink.probe(KIT.system().classicSystem()), Keep.both())
                    .run(MAT);
            return new Client(p.first(), p.second());
        }
    }

    private static long requestsWithin(TestPublisher.Probe<ByteString> p, Duration idle) {
        List<Long> got = p.receiveWhile(Duration.ofSeconds(2), idle, Integer.MAX_VALUE,
                new PFBuilder<TestPublisher.PublisherEvent, Long>()
                        .match(TestPublisher.RequestMore.class, r -> r.elements())
                        .build());
        return got.stream().mapToLong(Long::longValue).sum();
    }

    @Test
    void aTerminalThatDoesNotPullStallsClientOutputAndLosesNothing() {
        Terminal t = Terminal.start(4, ClientSpec.of("vm0"));
        Client vm0 = Client.attach(t.hub(), "vm0");
        int total = 300;
        int sent = 0;
        long demand = vm0.out().expectRequest();
        // Feed only what is asked for; with no screen demand the asking must stop.
        while (true) {
            while (demand > 0 && sent < total) {
                vm0.out().unsafeSendNext(bs("line " + sent++ + "\n"));
                demand--;
            }
            long more = requestsWithin(vm0.out(), Duration.ofMillis(300));
            if (more == 0) {
                break;
            }
            demand += more;
        }
        assertTrue(sent > 0 && sent < 64, "a stalled terminal bounds what a client gives up: " + sent);
        t.screen().ensureSubscription();
        t.screen().expectNoMessage(Duration.ofMillis(100));

        // Now the terminal pulls: every line arrives, once, in order.
        t.screen().request(Long.MAX_VALUE);
        StringBuilder screen = new StringBuilder();
        int received = 0;
        while (received < total) {
            while (received < sent) {
                screen.append(t.screen().expectNext(Duration.ofSeconds(5)).decodeString(StandardCharsets.ISO_8859_1));
                received++;
            }
            if (sent < total && demand == 0) {
                demand += vm0.out().expectRequest();
            }
            while (demand > 0 && sent < total) {
                vm0.out().unsafeSendNext(bs("line " + sent++ + "\n"));
                demand--;
            }
        }
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < total; i++) {
            expected.append("[vm0] line ").append(i).append('\n');
        }
        assertEquals(expected.toString(), screen.toString());
    }

    @Test
    void twoBusyClientsAreEachCompleteAndInOrder() {
        Terminal t = Terminal.start(2, ClientSpec.of("vm0"), ClientSpec.of("vm1"));
        int n = 200;
        for (String name : List.of("vm0", "vm1")) {
            // Lines cut into two chunks each, so that the clients interleave mid-line.
            Source.range(0, n - 1).mapConcat(i -> List.of(bs(name + " says " + i), bs(" to all\n")))
                    .via(t.hub().client(name)).runWith(Sink.ignore(), MAT);
        }
        String screen = "";
        List<String> lines = new ArrayList<>();
        while (lines.size() < 4 * n) {
            screen += t.screen().requestNext(Duration.ofSeconds(5)).decodeString(StandardCharsets.ISO_8859_1);
            lines = screen.lines().toList();
            if (!screen.endsWith("\n") && !lines.isEmpty()) {
                lines = lines.subList(0, lines.size() - 1);
            }
            if (!lines.isEmpty() && lines.size() >= 2 * n && rejoined(lines, "vm0").size() == n && rejoined(lines, "vm1").size() == n) {
                break;
            }
        }
        for (String name : List.of("vm0", "vm1")) {
            List<String> text = rejoined(lines, name);
            assertEquals(n, text.size(), name + ": " + text);
            for (int i = 0; i < n; i++) {
                assertEquals(name + " says " + i + " to all", text.get(i));
            }
        }
    }

    /** A client's logical lines, put back together from its screen lines (split by interruptions). */
    private static List<String> rejoined(List<String> screenLines, String name) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        String prefix = "[" + name + "] ";
        for (String l : screenLines) {
            if (l.startsWith(prefix)) {
                cur.append(l.substring(prefix.length()));
                if (cur.toString().endsWith(" to all")) {
                    out.add(cur.toString());
                    cur.setLength(0);
                }
            }
        }
        return out;
    }

    @Test
    void keystrokesGoOnlyToTheFocusedClientAndASwitchIsAnnounced() {
        Terminal t = Terminal.start(4, ClientSpec.of("vm0"), ClientSpec.of("vm1"), ClientSpec.outputOnly("timer"));
        Client vm0 = Client.attach(t.hub(), "vm0");
        Client vm1 = Client.attach(t.hub(), "vm1");
        vm0.keys().request(10);
        vm1.keys().request(10);
        t.keys().sendNext(bs("ls\r"));
        assertEquals(bs("ls\r"), vm0.keys().expectNext(Duration.ofSeconds(5)));
        vm1.keys().expectNoMessage(Duration.ofMillis(200));

        t.keys().sendNext(bs("@1uname\r"));
        assertEquals(bs("uname\r"), vm1.keys().expectNext(Duration.ofSeconds(5)));
        vm0.keys().expectNoMessage(Duration.ofMillis(200));
        assertEquals("-- input to vm1 --\n", t.screenUntil("-- input to vm1 --\n"));

        t.keys().sendNext(bs("@@\r@0x"));
        assertEquals(bs("@\r"), vm1.keys().expectNext(Duration.ofSeconds(5)));
        assertEquals(bs("x"), vm0.keys().expectNext(Duration.ofSeconds(5)));
    }

    @Test
    void keystrokesWaitForEveryInputClientToAttach() {
        Terminal t = Terminal.start(4, ClientSpec.of("vm0"), ClientSpec.of("vm1"));
        Client vm0 = Client.attach(t.hub(), "vm0");
        vm0.keys().request(10);
        t.keys().sendNext(bs("early"));
        vm0.keys().expectNoMessage(Duration.ofMillis(300));
        Client vm1 = Client.attach(t.hub(), "vm1");
        vm1.keys().request(1);
        assertEquals(bs("early"), vm0.keys().expectNext(Duration.ofSeconds(5)));
    }

    @Test
    void outputAndNoticesShareTheScreenInOrder() {
        Terminal t = Terminal.start(4, ClientSpec.of("vm0"), ClientSpec.of("vm1"));
        Client vm0 = Client.attach(t.hub(), "vm0");
        Client.attach(t.hub(), "vm1");
        vm0.out().sendNext(bs("login: "));
        assertEquals("[vm0] login: ", t.screenUntil("login: "));
        t.keys().sendNext(bs("@1"));
        assertEquals("\n-- input to vm1 --\n", t.screenUntil("--\n"));
    }

    @Test
    void aFailingClientIsReportedAndTheOthersGoOn() {
        Terminal t = Terminal.start(4, ClientSpec.of("vm0"), ClientSpec.of("vm1"));
        Client vm0 = Client.attach(t.hub(), "vm0");
        Client vm1 = Client.attach(t.hub(), "vm1");
        vm0.out().sendError(new IllegalStateException("descriptor chain loops"));
        assertTrue(t.screenUntil("--\n").contains("-- vm0 output failed: descriptor chain loops --"));
        vm1.out().sendNext(bs("still here\n"));
        assertEquals("[vm1] still here\n", t.screenUntil("here\n"));
    }

    @Test
    void aBrokenKeyboardEndsTypingButNotOutput() {
        Terminal t = Terminal.start(4, ClientSpec.of("vm0"));
        Client vm0 = Client.attach(t.hub(), "vm0");
        vm0.keys().request(1);
        t.keys().sendError(new java.io.IOException("stdin closed badly"));
        assertTrue(t.screenUntil("--\n").contains("-- keyboard failed: stdin closed badly --"));
        vm0.keys().expectComplete();
        vm0.out().sendNext(bs("still printing\n"));
        assertEquals("[vm0] still printing\n", t.screenUntil("printing\n"));
    }

    @Test
    void ipcOutputCompletesOnceTakenAndWaitsForASlowTerminal() throws Exception {
        Terminal t = Terminal.start(1);
        SerialOutput out = t.hub().ipcOutput();
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        // Writes one at a time, as the serial server does, until one stays pending.
        for (int i = 0; i < 50; i++) {
            CompletableFuture<Void> w = out.write("timer", ("tick " + i + "\n").getBytes(StandardCharsets.US_ASCII)).toCompletableFuture();
            writes.add(w);
            try {
                w.get(300, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                break;
            }
        }
        CompletableFuture<Void> last = writes.getLast();
        assertFalse(last.isDone(), "a terminal that does not pull holds the writer up after " + writes.size() + " writes");
        assertTrue(writes.size() < 50);
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < writes.size(); i++) {
            expected.append("[timer] tick ").append(i).append('\n');
        }
        assertEquals(expected.toString(), t.screenUntil("tick " + (writes.size() - 1) + "\n"));
        last.get(5, TimeUnit.SECONDS);
    }
}
