package dev.sel4sim.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sel4sim.system.assembly.BuiltSystem;
import dev.sel4sim.system.assembly.RunningSystem;
import dev.sel4sim.system.assembly.Systems;
import dev.sel4sim.system.assembly.VmLauncher;
import dev.sel4sim.system.config.SystemSpec;
import dev.sel4sim.system.console.ExpectScript;
import dev.sel4sim.system.console.ExpectScript.Step;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.SpawnProtocol;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * conf/systems/vm_cross_connector.conf as {@code sel4sim run} starts it: from the Linux guest's shell, busybox
 * devmem writes a string into the src dataport, rings the doorbell, polls the status register and reads the
 * StringReverse component's answer from the dest dataport. A doorbell with garbage in the dataport is refused
 * by the component with a clear error, and the next request works.
 */
class CrossVmConnectorTest {
    static final String PROMPT = "# ";
    // Shell helpers, defined from the console: bytes in and out of a dataport with devmem, and a reversal.
    static final String PUT = "put() { a=$(($1)); s=$2; i=0; while [ $i -lt ${#s} ]; do"
            + " devmem $((a+i)) 8 $(printf %d \"'${s:$i:1}\"); i=$((i+1)); done; devmem $((a+i)) 8 0; }";
    static final String GET = "get() { a=$(($1)); o=; while v=$(($(devmem $a 8))); [ $v -ne 0 ]; do"
            + " o=\"$o$(printf \"\\\\$(printf %o $v)\")\"; a=$((a+1)); done; echo \"$o\"; }";
    static final String RING = "ring() { devmem 0xdf000000 32 1; while [ $(($(devmem 0xdf000004 32))) -eq 0 ]; do :; done;"
            + " devmem 0xdf000004 32 0; }";
    static final String REVERSE = "reverse() { put 0xdf001000 \"$1\"; ring; echo \"REVERSED:[$(get 0xdf003000)]\"; }";

    @BeforeAll
    static void guests() {
        GuestRun.requireGuests();
    }

    @Test
    void helloComesBackOllehFromTheGuestShell() throws Exception {
        SystemSpec spec = Systems.load(GuestRun.conf("vm_cross_connector.conf"));
        BuiltSystem built = Systems.build(spec);
        MemorySegment src = built.crossVm().dataport("vm0", "src");
        List<String> componentLines = new CopyOnWriteArrayList<>();
        ExpectScript script = new ExpectScript(List.of(
                Step.expect(PROMPT),
                Step.sendLine(PUT),
                Step.sendLine(GET),
                Step.sendLine(RING),
                Step.sendLine(REVERSE + "; echo DEF''INED"),
                Step.expect("^DEFINED"),
                Step.sendLine("reverse hello"),
                Step.expect("REVERSED:\\[olleh\\]"),
                Step.sendLine("reverse 'seL4 cross-VM'"),
                Step.expect("REVERSED:\\[MV-ssorc 4Les\\]"),
                // Garbage: the whole dataport without a NUL, then the doorbell.
                Step.run(() -> src.fill((byte) 'x')),
                Step.sendLine("ring; echo \"AFTER-GARBAGE:[$(get 0xdf003000)]\""),
                Step.expect("AFTER-GARBAGE:\\[\\]"),
                Step.sendLine("reverse abc"),
                Step.expect("REVERSED:\\[cba\\]"),
                Step.sendLine("echo RUNG:$(devmem 0xdf000050 32) EVENTS:$(devmem 0xdf000054 32)"
                        + " LABEL:$(cat /proc/device-tree/cross-vm@df000000/label)"),
                Step.expect("RUNG:0x00000004 EVENTS:0x00000004 LABEL:src")), null);
        ActorSystem<SpawnProtocol.Command> system = ActorSystem.create(SpawnProtocol.create(), "crossvm-guest");
        try {
            VmLauncher.Prepared prepared = VmLauncher.prepare(built, n -> script);
            try (RunningSystem natives = RunningSystem.start(built, system, componentLines::add, "crossvm")) {
                VmLauncher vms = VmLauncher.start(prepared, system);
                try {
                    CompletableFuture.anyOf(vms.anyStopped(), script.done()).get(240, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    // reported below with the console
                }
                String console = script.transcript();
                assertTrue(script.done().isDone(), "the shell script stopped at " + script.waitingFor() + "; console:\n"
                        + VirtioGuestTest.tail(console) + "\ncomponent: " + componentLines);
                assertEquals(1, componentLines.size(), componentLines.toString());
                assertTrue(componentLines.getFirst().contains("[reverser] bad request from the guest: the src dataport holds no"
                        + " NUL-terminated string within its 4096 bytes"), componentLines.getFirst());
                assertEquals('a', (char) src.get(ValueLayout.JAVA_BYTE, 0), "the guest's last string is in the shared memory");
                vms.shutdown("test over");
                vms.anyStopped().get(20, TimeUnit.SECONDS);
            }
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
        }
    }
}
