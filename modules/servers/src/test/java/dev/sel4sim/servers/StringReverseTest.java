package dev.sel4sim.servers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sel4sim.kernel.Arch;
import dev.sel4sim.kernel.Kernel;
import dev.sel4sim.kernel.SysResult;
import dev.sel4sim.kernel.Syscalls;
import dev.sel4sim.kernel.actor.Simulation;
import dev.sel4sim.kernel.actor.Supervision;
import dev.sel4sim.kernel.boot.CSpaceView;
import dev.sel4sim.kernel.boot.Loader;
import dev.sel4sim.kernel.cap.Rights;
import dev.sel4sim.kernel.ipc.KernelEvent;
import dev.sel4sim.kernel.objects.Notification;
import dev.sel4sim.kernel.objects.Untyped;
import dev.sel4sim.kernel.sched.Timeline;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * StringReverse on the kernel model, with a thread standing in for the VMM: it writes the guest's string,
 * signals the doorbell notification and waits for the done notification, as the cross-VM connector does.
 */
class StringReverseTest {
    private static final ActorTestKit KIT = ActorTestKit.create();

    private record Do(Function<Syscalls, SysResult> call) implements KernelEvent.Local {}

    @AfterAll
    static void stop() {
        KIT.shutdownTestKit();
    }

    private final MemorySegment src = Arena.ofAuto().allocate(4096, 4096);
    private MemorySegment dest = Arena.ofAuto().allocate(4096, 4096);
    private final List<String> console = new CopyOnWriteArrayList<>();
    private Simulation sim;
    private ActorRef<KernelEvent> reverser;
    private ActorRef<KernelEvent> vmm;
    private TestProbe<KernelEvent> vmmEvents;
    private long readyCap;
    private long doneCap;

    @BeforeEach
    void fresh() {
        console.clear();
    }

    /** Starts a reverser and the stand-in VMM; the VMM is waiting for "done" when this returns. */
    private void start(String id) {
        Kernel kernel = new Kernel(Arch.AARCH64, false, 40, 256, new Timeline(Timeline.Mode.PACED));
        Untyped ut = kernel.addUntyped("ut0", 0x4000_0000L, 24, false);
        Loader loader = new Loader(kernel, List.of(ut), 8);
        Notification ready = loader.notification("src.from-guest");
        Notification done = loader.notification("vm0.cross-vm-events");
        CSpaceView rev = loader.thread("reverser", 6, 100, 0);
        CSpaceView v = loader.thread("vmm-vm0", 6, 100, 1);
        Wiring wiring = new Wiring(Map.of(
                Wiring.fromGuest("src"), (long) loader.give(rev, ready, Rights.READ, 0),
                Wiring.toGuest("src"), (long) loader.give(rev, done, Rights.WRITE, 1)), Map.of(),
                Map.of("src", src, "dest", dest));
        readyCap = loader.give(v, ready, Rights.WRITE, 1);
        doneCap = loader.give(v, done, Rights.READ, 0);
        sim = new Simulation(KIT.system(), kernel, 2, id);
        reverser = sim.start(rev.tcb(), (sys, ctx) -> StringReverse.create(sys, wiring,
                new StringReverse.Settings("src", "dest", "src", "src", 1000), console::add), Supervision.RESTART);
        vmmEvents = KIT.createTestProbe();
        vmm = sim.start(v.tcb(), (sys, ctx) -> Behaviors.receiveMessage(m -> {
            if (m instanceof Do d) {
                d.call().apply(sys);
            } else {
                vmmEvents.getRef().tell(m);
            }
            return Behaviors.same();
        }), Supervision.RESTART);
        vmmEvents.expectMessageClass(KernelEvent.Started.class);
    }

    /** What the guest does: write the bytes, ring, wait for the event; returns dest's string. */
    private String request(byte[] guestBytes) {
        MemorySegment.copy(guestBytes, 0, src, ValueLayout.JAVA_BYTE, 0, guestBytes.length);
        // Ring, then wait: an event emitted before the wait stays pending in the notification.
        vmm.tell(new Do(sys -> sys.signal(readyCap)));
        vmm.tell(new Do(sys -> sys.waitFor(doneCap)));
        KernelEvent.NotificationReceived n = vmmEvents.expectMessageClass(KernelEvent.NotificationReceived.class, Duration.ofSeconds(5));
        assertEquals(1, n.badge(), "the done event carries the connection's badge");
        return new String(DataportText.read(dest).orElseThrow(), StandardCharsets.UTF_8);
    }

    private static byte[] cString(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return java.util.Arrays.copyOf(b, b.length + 1);
    }

    private StringReverse.Counters counters() {
        TestProbe<StringReverse.Counters> p = KIT.createTestProbe();
        reverser.tell(new StringReverse.Query(p.getRef()::tell));
        return p.receiveMessage(Duration.ofSeconds(5));
    }

    @Test
    void reversesWhatTheGuestWroteAndEmitsDone() {
        start("reverse-ok");
        try {
            assertEquals("olleh", request(cString("hello")));
            assertEquals("ab", request(cString("ba")), "a second request, shorter, is terminated at its own end");
            assertEquals("€b\u00f1a", request(cString("a\u00f1b€")), "UTF-8 reversed by code point");
            assertEquals("", request(cString("")));
            assertEquals(new StringReverse.Counters(4, 0), counters());
            assertTrue(console.isEmpty(), console.toString());
        } finally {
            sim.close();
        }
    }

    @Test
    void garbageWithoutNulIsAClearErrorTheGuestStillHearsAboutAndTheNextRequestWorks() {
        start("reverse-garbage");
        try {
            DataportText.write(dest, "stale".getBytes(StandardCharsets.US_ASCII));
            byte[] garbage = new byte[4096];
            java.util.Arrays.fill(garbage, (byte) 'x');
            assertEquals("", request(garbage), "dest is emptied, not left with an old answer");
            assertEquals(1, console.size(), console.toString());
            assertTrue(console.getFirst().contains("[reverser]") && console.getFirst().contains("no NUL-terminated string")
                    && console.getFirst().contains("4096 bytes"), console.getFirst());
            assertEquals("olleh", request(cString("hello")));
            assertEquals(new StringReverse.Counters(1, 1), counters());
        } finally {
            sim.close();
        }
    }

    @Test
    void aResultLargerThanDestIsRefused() {
        dest = Arena.ofAuto().allocate(4, 4096);
        start("reverse-small");
        try {
            assertEquals("", request(cString("hello")));
            assertTrue(console.getFirst().contains("does not fit the dest dataport of 4 bytes"), console.toString());
            assertEquals("cba", request(cString("abc")));
        } finally {
            sim.close();
        }
    }
}
