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
import dev.sel4sim.kernel.ipc.Message;
import dev.sel4sim.kernel.objects.Endpoint;
import dev.sel4sim.kernel.objects.Untyped;
import dev.sel4sim.kernel.sched.Timeline;
import dev.sel4sim.servers.serial.ClientSpec;
import dev.sel4sim.servers.serial.MuxSettings;
import dev.sel4sim.servers.serial.SerialHub;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.testkit.TestSubscriber;
import org.apache.pekko.stream.testkit.javadsl.TestSink;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The serial server on the kernel model, printing a native client's IPC through a shared hub. */
class SerialServerTest {
    private static final ActorTestKit KIT = ActorTestKit.create();

    /** Runs a system call on the client's own actor. */
    private record Do(Function<Syscalls, SysResult> call) implements KernelEvent.Local {}

    @AfterAll
    static void stop() {
        KIT.shutdownTestKit();
    }

    @Test
    void callsArePrintedThroughTheHubAndAnsweredOnlyAsTheTerminalTakesThem() {
        Kernel kernel = new Kernel(Arch.AARCH64, false, 40, 256, new Timeline(Timeline.Mode.VIRTUAL));
        Untyped ut = kernel.addUntyped("ut0", 0x4000_0000L, 24, false);
        Loader loader = new Loader(kernel, List.of(ut), 8);
        Endpoint ep = loader.endpoint("serial");
        CSpaceView server = loader.thread("serial", 6, 100, 0);
        CSpaceView client = loader.thread("client", 6, 100, 1);
        int served = loader.give(server, ep, Rights.ALL, 0);
        int cap = loader.give(client, ep, Rights.ALL, 7);

        Materializer mat = Materializer.matFromSystem(KIT.system());
        Pair<TestSubscriber.Probe<ByteString>, Sink<ByteString, NotUsed>> screen =
                TestSink.<ByteString>probe(KIT.system().classicSystem()).preMaterialize(mat);
        SerialHub hub = SerialHub.start(MuxSettings.plain(), List.of(ClientSpec.of("vm0")), Source.never(), screen.second(), 1, mat);
        Wiring wiring = new Wiring(Map.of("serial", (long) served), Map.of("serial", Map.of(7L, "client")));

        try (Simulation sim = new Simulation(KIT.system(), kernel, 2, "serial-test")) {
            sim.start(server.tcb(), (sys, ctx) -> SerialServer.create(sys, wiring, "serial", hub.ipcOutput()), Supervision.RESTART);
            TestProbe<KernelEvent> events = KIT.createTestProbe();
            ActorRef<KernelEvent> c = sim.start(client.tcb(), (sys, ctx) -> Behaviors.receiveMessage(m -> {
                if (m instanceof Do d) {
                    d.call().apply(sys);
                } else {
                    events.getRef().tell(m);
                }
                return Behaviors.same();
            }), Supervision.RESTART);
            events.expectMessageClass(KernelEvent.Started.class);

            // The screen does not pull: a few lines fit the buffers, then a Call stays unanswered.
            int answered = 0;
            boolean stalled = false;
            while (!stalled && answered < 50) {
                String line = "line " + answered;
                c.tell(new Do(sys -> sys.call(cap, Message.ofString(1, line))));
                try {
                    events.expectMessageClass(KernelEvent.ReplyReceived.class, Duration.ofMillis(500));
                    answered++;
                } catch (AssertionError e) {
                    stalled = true;
                }
            }
            assertTrue(stalled && answered > 0, "answered " + answered + " calls before the terminal stalled them");

            StringBuilder text = new StringBuilder();
            String last = "[client] line " + answered + "\n";
            while (!text.toString().endsWith(last)) {
                text.append(screen.first().requestNext(Duration.ofSeconds(5)).decodeString(StandardCharsets.US_ASCII));
            }
            events.expectMessageClass(KernelEvent.ReplyReceived.class, Duration.ofSeconds(5));
            StringBuilder expected = new StringBuilder();
            for (int i = 0; i <= answered; i++) {
                expected.append("[client] line ").append(i).append('\n');
            }
            assertEquals(expected.toString(), text.toString());
        }
    }
}
