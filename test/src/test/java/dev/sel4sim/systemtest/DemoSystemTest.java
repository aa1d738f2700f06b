package dev.sel4sim.systemtest;

import static org.junit.jupiter.api.Assertions.*;

import dev.sel4sim.kernel.sched.Timeline;
import dev.sel4sim.kernel.trace.TraceEvent;
import dev.sel4sim.system.assembly.BuiltSystem;
import dev.sel4sim.system.assembly.RunningSystem;
import dev.sel4sim.system.assembly.Systems;
import dev.sel4sim.system.config.SystemSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Launches conf/systems/demo.conf as a user would and watches its console and kernel trace. */
class DemoSystemTest {
    static final ActorTestKit kit = ActorTestKit.create();
    static final Path DEMO = Path.of("../conf/systems/demo.conf");

    @AfterAll
    static void shutdown() {
        kit.shutdownTestKit();
    }

    /** The demo with simulated time that jumps from event to event, so the test is fast and exact. */
    static SystemSpec virtualDemo() {
        SystemSpec s = Systems.load(DEMO);
        return new SystemSpec(s.file(), s.name(), s.description(), s.board(), s.cores(), s.mcs(), Timeline.Mode.VIRTUAL,
                s.durationNs(), s.kernelReserved(), s.reserved(), s.components(), s.devices(), s.connections(), s.memoryRegions(),
                s.vms());
    }

    static String await(BlockingQueue<String> lines, List<String> seen, String fragment) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            String l = lines.poll(100, TimeUnit.MILLISECONDS);
            if (l != null) {
                seen.add(l);
                if (l.contains(fragment)) {
                    return l;
                }
            }
        }
        fail("no console line containing '" + fragment + "'; saw " + seen);
        return null;
    }

    @Test
    void rpcAnswersAndTimerTicksReachTheSerialConsole() throws Exception {
        BuiltSystem built = Systems.build(virtualDemo());
        ConcurrentLinkedQueue<TraceEvent> trace = new ConcurrentLinkedQueue<>();
        built.kernel().addTraceSink(trace::add);
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        List<String> seen = new ArrayList<>();
        try (RunningSystem rs = RunningSystem.start(built, kit.system(), lines::add, "demo1")) {
            await(lines, seen, "[client] called reverse with \"hello\", got \"olleh\"");
            await(lines, seen, "[client] called reverse with \"stressed\", got \"desserts\"");
            assertEquals("[driver] tick 1 at 500.0 ms (simulated)", await(lines, seen, "tick 1 "));
            assertEquals("[driver] tick 3 at 1500.0 ms (simulated)", await(lines, seen, "tick 3 "));
        }
        // Every hop went through the kernel: calls to reverse and serial, replies, the IRQ and its signal.
        assertTrue(trace.stream().anyMatch(e -> e.kind() == TraceEvent.Kind.CALL && e.from().equals("client.tcb") && e.to().equals("reverse.tcb")));
        assertTrue(trace.stream().anyMatch(e -> e.kind() == TraceEvent.Kind.REPLY && e.from().equals("reverse.tcb")));
        assertTrue(trace.stream().anyMatch(e -> e.kind() == TraceEvent.Kind.IRQ && e.from().equals("irq 79")));
        assertTrue(trace.stream().anyMatch(e -> e.kind() == TraceEvent.Kind.SIGNAL && e.to().equals("timer")));
    }

    @Test
    void killingTheTimerDriverLeavesTheRpcPathWorking() throws Exception {
        BuiltSystem built = Systems.build(virtualDemo());
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        List<String> seen = new ArrayList<>();
        try (RunningSystem rs = RunningSystem.start(built, kit.system(), lines::add, "demo2")) {
            rs.simulation().kill("driver.tcb");
            await(lines, seen, "got \"desserts\"");
            Thread.sleep(300);
            lines.drainTo(seen);
            assertTrue(seen.stream().noneMatch(l -> l.contains("tick")), "no ticks without the driver: " + seen);
            // The first interrupt was signalled and never acknowledged: the line stays masked and
            // the next edges are latched, exactly what a dead driver does on real hardware.
            var handler = built.kernel().handlerOf(79);
            assertEquals(1, handler.delivered());
            assertTrue(handler.masked() && handler.latched());
        }
    }

    @Test
    void crashedServersRestartWithFreshStateAndServeAgain() throws Exception {
        // No timer here, so the system goes idle once the client is done: crashes land at a known point.
        String text = """
                system {
                  name = restart, board = qemu-arm-virt, cores = 2, clock = virtual
                  components = [
                    { name = serial,  kind = serial,     core = 0, priority = 200 }
                    { name = reverse, kind = reverse,    core = 1, priority = 150 }
                    { name = client,  kind = rpc-client, core = 1, priority = 100, settings { messages = [abc] } }
                  ]
                  connections = [
                    { type = rpc, name = reverse, from = client, to = reverse }
                    { type = rpc, name = serial, from = client, to = serial }
                  ]
                }
                """;
        BuiltSystem built = Systems.build(Systems.loadText(text, "restart.conf"));
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        List<String> seen = new ArrayList<>();
        try (RunningSystem rs = RunningSystem.start(built, kit.system(), lines::add, "demo3")) {
            await(lines, seen, "got \"cba\"");
            waitFor(() -> built.kernel().capCount(built.components().get("serial").view().tcb()) > 0
                    && built.components().get("serial").view().tcb().state() == dev.sel4sim.kernel.objects.ThreadState.BLOCKED_ON_RECV);
            rs.simulation().crash("serial.tcb");
            rs.simulation().crash("reverse.tcb");
            rs.simulation().crash("client.tcb");
            // All three restart with their state reset: the client starts over and is served again.
            await(lines, seen, "got \"cba\"");
            assertEquals(2, seen.stream().filter(l -> l.contains("got \"cba\"")).count(), seen.toString());
        }
    }

    static void waitFor(java.util.function.BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!cond.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not reached");
            Thread.sleep(10);
        }
    }
}
