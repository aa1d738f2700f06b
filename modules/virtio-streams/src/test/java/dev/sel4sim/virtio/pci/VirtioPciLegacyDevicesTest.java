package dev.sel4sim.virtio.pci;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.sel4sim.virtio.console.ConsoleConfig;
import dev.sel4sim.virtio.console.VirtioConsole;
import dev.sel4sim.virtio.device.VirtioDevice;
import dev.sel4sim.virtio.net.MacAddress;
import dev.sel4sim.virtio.net.NetConfig;
import dev.sel4sim.virtio.net.VirtioNet;
import dev.sel4sim.virtio.queue.VirtqueueError;
import dev.sel4sim.virtio.testing.CountingSource;
import dev.sel4sim.virtio.testing.DemandProbe;
import dev.sel4sim.virtio.testing.DriverQueue;
import dev.sel4sim.virtio.testing.LegacyPciDriver;
import dev.sel4sim.virtio.testing.ManualVm;
import dev.sel4sim.virtio.testing.TestRam;
import dev.sel4sim.virtio.testing.ThreadCheckingMemory;

/** Console and net traffic through the legacy PCI register block, driven as Linux's legacy driver drives it. */
class VirtioPciLegacyDevicesTest {
    private static ActorTestKit testKit;

    private final TestRam ram = TestRam.confined(0x4000_0000L, 4 << 20);
    private final ThreadCheckingMemory memory = new ThreadCheckingMemory(ram.memory(), Thread.currentThread());
    private final ManualVm vm = new ManualVm();
    private final List<VirtqueueError> errors = new ArrayList<>();
    private int interrupts; // rising edges of the INTx line
    private LegacyPciDriver driver;
    private DriverQueue rx;
    private DriverQueue tx;

    @BeforeAll
    static void start() {
        testKit = ActorTestKit.create();
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @AfterEach
    void close() {
        assertTrue(errors.isEmpty(), () -> "device broke: " + errors);
        assertTrue(memory.intruders().isEmpty(), () -> "guest memory touched from " + memory.intruders());
        ram.close();
    }

    private void boot(VirtioDevice device) {
        VirtioPciLegacyTransport transport = new VirtioPciLegacyTransport(device, memory, level -> {
            if (level) {
                interrupts++;
            }
        }, errors::add);
        driver = new LegacyPciDriver(transport, ram);
        driver.negotiate(-1L);
        rx = driver.setupQueue(0);
        tx = driver.setupQueue(1);
        assertEquals(0, driver.queueSize(2));
        driver.driverOk();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static ByteString frame(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (seed * 17 + i);
        }
        return ByteString.fromArray(b);
    }

    @Test
    void consoleBytesFlowBothWays() {
        VirtioConsole console = new VirtioConsole(vm.executor(), new ConsoleConfig(80, 25, 4));
        boot(console);
        assertEquals(80, driver.config(0, 2), "cols");
        assertEquals(25, driver.config(2, 2), "rows");

        DemandProbe out = new DemandProbe();
        console.guestOutput().runWith(out.sink(), testKit.system());
        out.request(10);
        tx.add(List.of(ascii("hello ")));
        tx.add(List.of(ascii("host\n")));
        driver.notify(VirtioConsole.TRANSMITQ);
        vm.await("guest output", () -> out.concatenated().utf8String().equals("hello host\n"));
        vm.await("transmit buffers back", () -> tx.usedIdx() == 2);
        assertEquals(1, driver.isr() & 1);

        CountingSource in = new CountingSource(List.of(ByteString.fromString("typed"), ByteString.fromString("!")));
        in.source().runWith(console.guestInput(), testKit.system());
        rx.add(List.of(), 16);
        rx.add(List.of(), 16);
        driver.notify(VirtioConsole.RECEIVEQ);
        StringBuilder seen = new StringBuilder();
        vm.await("host input", () -> {
            rx.takeUsed().forEach(u -> seen.append(new String(u.data(), StandardCharsets.US_ASCII)));
            return seen.length() >= 6;
        });
        assertEquals("typed!", seen.toString());
        assertEquals(1, driver.isr() & 1);
        assertEquals(0, driver.isr());
    }

    @Test
    void netFramesCarryTheTenByteLegacyHeader() {
        MacAddress mac = MacAddress.parse("52:54:00:ab:cd:ef");
        VirtioNet net = new VirtioNet(vm.executor(), new NetConfig(mac, true, 4));
        boot(net);
        byte[] macBytes = new byte[6];
        for (int i = 0; i < 6; i++) {
            macBytes[i] = (byte) driver.config(i, 1);
        }
        assertArrayEquals(mac.octets(), macBytes);
        assertEquals(VirtioNet.S_LINK_UP, driver.config(6, 2));
        int header = VirtioNet.HEADER_LEGACY;

        DemandProbe wireOut = new DemandProbe();
        CountingSource wireIn = new CountingSource(List.of(frame(60, 1), frame(1514, 2)));
        wireIn.source().via(net.frames()).runWith(wireOut.sink(), testKit.system());
        wireOut.request(10);

        rx.add(List.of(), header + 1514);
        rx.add(List.of(), header + 1514);
        driver.notify(VirtioNet.RECEIVEQ);
        vm.await("two frames in", () -> rx.usedIdx() == 2);
        List<DriverQueue.Used> used = rx.takeUsed();
        assertEquals(header + 60, used.get(0).len());
        assertEquals(header + 1514, used.get(1).len());
        assertArrayEquals(frame(1514, 2).toArray(), Arrays.copyOfRange(used.get(1).data(), header, header + 1514));
        assertEquals(1, driver.isr() & 1);

        ByteString reply = frame(98, 3);
        tx.add(List.of(new byte[header], reply.toArray()));
        driver.notify(VirtioNet.TRANSMITQ);
        vm.await("one frame out", () -> wireOut.received().size() == 1);
        assertEquals(reply, wireOut.received().get(0));
        assertTrue(interrupts >= 1);
    }

    @Test
    void linkDownIsAConfigurationInterruptInTheIsr() {
        VirtioNet net = new VirtioNet(vm.executor(), new NetConfig(MacAddress.parse("52:54:00:00:00:01"), true, 2));
        boot(net);
        net.setLinkUp(false);
        vm.await("configuration interrupt", () -> interrupts == 1);
        assertEquals(2, driver.isr());
        assertEquals(0, driver.config(6, 2));
    }

    @Test
    void transmitWaitsInTheGuestUntilTheConsumerPulls() {
        VirtioConsole console = new VirtioConsole(vm.executor(), new ConsoleConfig(80, 25, 1));
        boot(console);
        DemandProbe out = new DemandProbe();
        console.guestOutput().runWith(out.sink(), testKit.system());
        for (int i = 0; i < 4; i++) {
            tx.add(List.of(ascii("l" + i)));
        }
        driver.notify(VirtioConsole.TRANSMITQ);
        vm.idle(Duration.ofMillis(150));
        assertEquals(1, tx.takeUsed().size(), "one element of stream buffer; the rest stay queued");
        out.request(4);
        vm.await("all lines", () -> out.received().size() == 4);
        assertEquals("l0l1l2l3", out.concatenated().utf8String());
    }
}
