package dev.sel4sim.systemtest;

import dev.sel4sim.system.assembly.Systems;
import dev.sel4sim.system.assembly.VmLauncher;
import dev.sel4sim.system.config.SystemSpec;
import dev.sel4sim.system.console.ExpectScript;
import dev.sel4sim.system.console.ExpectScript.Step;
import dev.sel4sim.virtio.console.VirtioConsole;
import dev.sel4sim.virtio.net.VirtioNet;
import dev.sel4sim.vmm.run.VmDevice;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.SpawnProtocol;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.SourceQueueWithComplete;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Debian's virtio drivers (virtio_mmio, virtio_console, virtio_net, loaded by /init) against the
 * VMM's virtio-mmio devices: the guest finds both devices in its device tree, what it writes to
 * /dev/hvc0 leaves on the console's stream, what the host streams in is read from /dev/hvc0, and
 * eth0 carries the configured MAC and sends frames out of the net device's stream.
 */
class VirtioGuestTest {
    static final String PROMPT = "# ";

    @BeforeAll
    static void guests() {
        GuestRun.requireGuests();
    }

    @Test
    void consoleAndNetDevicesWorkFromTheLinuxShell() throws Exception {
        Path file = GuestRun.conf("vm_minimal.conf");
        String text = Files.readString(file).replace("vcpus = 2", "vcpus = 1").replace("gic = 2", """
                gic = 2
                      virtio = [
                        { name = hvc, type = console }
                        { name = eth0, type = net, mac = "52:54:00:12:34:56" }
                      ]""");
        SystemSpec spec = Systems.loadText(text, file.toString());
        CompletableFuture<SourceQueueWithComplete<ByteString>> input = new CompletableFuture<>();
        ExpectScript script = new ExpectScript(List.of(
                Step.expect(PROMPT),
                Step.sendLine("ls /sys/bus/virtio/devices; cat /sys/class/net/eth0/address; echo hello-virtio > /dev/hvc0; echo END-A"),
                Step.expect("^END-A"),
                Step.sendLine("(head -n1 /dev/hvc0 | sed s/^/GOT:/) & sleep 0.2; echo READER-STARTED"),
                Step.expect("^READER-STARTED"),
                // The host's line goes in once the guest reads /dev/hvc0.
                Step.run(() -> input.join().offer(ByteString.fromString("from-host\n"))),
                Step.expect("GOT:from-host"),
                Step.sendLine("ip link set eth0 up; ip addr add 10.0.2.15/24 dev eth0; ping -c1 -W1 10.0.2.2; echo END-B"),
                Step.expect("^END-B")), null);
        ActorSystem<SpawnProtocol.Command> system = ActorSystem.create(SpawnProtocol.create(), "virtio-guest");
        try {
            VmLauncher vms = VmLauncher.start(spec, system, n -> script);
            Materializer mat = Materializer.createMaterializer(system);
            List<VmDevice> devices = vms.virtio("vm0");
            VirtioConsole console = devices.get(0).console().orElseThrow();
            VirtioNet net = devices.get(1).net().orElseThrow();

            StringBuffer fromGuest = new StringBuffer();
            CompletableFuture<Void> sawHello = new CompletableFuture<>();
            SourceQueueWithComplete<ByteString> toGuest = Source.<ByteString>queue(16, OverflowStrategy.backpressure())
                    .via(console.flow())
                    .to(Sink.foreach(b -> {
                        fromGuest.append(b.decodeString(StandardCharsets.ISO_8859_1));
                        if (fromGuest.indexOf("hello-virtio") >= 0) {
                            sawHello.complete(null);
                        }
                    }))
                    .run(mat);
            input.complete(toGuest);
            ConcurrentLinkedQueue<ByteString> frames = new ConcurrentLinkedQueue<>();
            net.guestOutput().runWith(Sink.foreach(frames::add), mat);

            try {
                CompletableFuture.anyOf(vms.anyStopped(), script.done()).get(90, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                // reported below with the console
            }
            String console0 = script.transcript();
            assertTrue(script.done().isDone(), "the shell script stopped at " + script.waitingFor() + "; console:\n" + tail(console0)
                    + "\n---- from hvc0:\n" + fromGuest);
            assertTrue(console0.contains("virtio0") && console0.contains("virtio1"), "two virtio devices probed:\n" + tail(console0));
            assertTrue(console0.contains("52:54:00:12:34:56"), "eth0 has the configured MAC:\n" + tail(console0));
            sawHello.get(10, TimeUnit.SECONDS);
            boolean arp = frames.stream().anyMatch(f -> f.size() >= 42 && f.take(6).equals(ByteString.fromArray(new byte[] {-1, -1, -1, -1, -1, -1}))
                    && f.slice(6, 12).equals(ByteString.fromArray(new byte[] {0x52, 0x54, 0, 0x12, 0x34, 0x56}))
                    && (f.apply(12) & 0xff) == 0x08 && (f.apply(13) & 0xff) == 0x06);
            assertTrue(arp, "ping sent an ARP request from eth0's MAC out of the net device; frames: " + frames.size());
            vms.shutdown("test over");
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
        }
    }

    static String tail(String s) {
        return s.length() < 3000 ? s : s.substring(s.length() - 3000);
    }
}
