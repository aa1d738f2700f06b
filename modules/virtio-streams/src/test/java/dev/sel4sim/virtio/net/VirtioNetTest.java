package dev.sel4sim.virtio.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.sel4sim.virtio.device.FeatureBits;
import dev.sel4sim.virtio.mmio.MmioMode;
import dev.sel4sim.virtio.mmio.VirtioMmioTransport;
import dev.sel4sim.virtio.queue.VirtqueueError;
import dev.sel4sim.virtio.testing.CountingSource;
import dev.sel4sim.virtio.testing.DemandProbe;
import dev.sel4sim.virtio.testing.DriverQueue;
import dev.sel4sim.virtio.testing.FakeDriver;
import dev.sel4sim.virtio.testing.ManualVm;
import dev.sel4sim.virtio.testing.TestRam;
import dev.sel4sim.virtio.testing.ThreadCheckingMemory;

class VirtioNetTest {
    private static final MacAddress MAC = MacAddress.parse("52:54:00:12:34:56");
    private static ActorTestKit testKit;

    private final TestRam ram = TestRam.confined(0x4000_0000L, 4 << 20);
    private final ThreadCheckingMemory memory = new ThreadCheckingMemory(ram.memory(), Thread.currentThread());
    private final ManualVm vm = new ManualVm();
    private final List<VirtqueueError> errors = new ArrayList<>();
    private VirtioNet net;
    private FakeDriver driver;
    private DriverQueue rx;
    private DriverQueue tx;
    private int header;
    private int interrupts; // rising edges of the device's interrupt line

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

    private void boot(MmioMode mode) {
        net = new VirtioNet(vm.executor(), new NetConfig(MAC, true, 2));
        VirtioMmioTransport transport = new VirtioMmioTransport(net, memory, mode, level -> {
            if (level) {
                interrupts++;
            }
        }, errors::add);
        driver = new FakeDriver(transport, ram);
        assertTrue(driver.negotiate(-1L));
        header = mode == MmioMode.MODERN ? 12 : 10;
        rx = driver.setupQueue(VirtioNet.RECEIVEQ, 16);
        tx = driver.setupQueue(VirtioNet.TRANSMITQ, 16);
        driver.driverOk();
    }

    private static ByteString frame(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (seed * 31 + i);
        }
        return ByteString.fromArray(b);
    }

    @ParameterizedTest
    @EnumSource(MmioMode.class)
    void featuresAndConfigSpace(MmioMode mode) {
        boot(mode);
        assertEquals(1, driver.reg(0x008));
        long offered = driver.deviceFeatures();
        assertTrue(FeatureBits.has(offered, VirtioNet.F_MAC));
        assertTrue(FeatureBits.has(offered, VirtioNet.F_STATUS));
        assertEquals(mode == MmioMode.MODERN, FeatureBits.has(offered, FeatureBits.VERSION_1));
        byte[] mac = new byte[6];
        for (int i = 0; i < 6; i++) {
            mac[i] = (byte) driver.config(i, 1);
        }
        assertArrayEquals(MAC.octets(), mac);
        assertEquals("52:54:00:12:34:56", MAC.toString());
        assertEquals(VirtioNet.S_LINK_UP, driver.config(6, 2));
    }

    @Test
    void linkChangesReachTheGuestAsAConfigurationInterrupt() {
        boot(MmioMode.MODERN);
        int generation = driver.configGeneration();
        net.setLinkUp(false);
        vm.await("config interrupt", () -> (driver.interruptStatus() & 2) != 0);
        assertEquals(0, driver.config(6, 2));
        assertEquals(generation + 1, driver.configGeneration());
    }

    @ParameterizedTest
    @EnumSource(MmioMode.class)
    void transmittedFramesLoseTheirHeaderAndWaitForTheConsumer(MmioMode mode) {
        boot(mode);
        DemandProbe wire = new DemandProbe();
        net.guestOutput().runWith(wire.sink(), testKit.system());
        List<ByteString> frames = List.of(frame(60, 1), frame(1514, 2), frame(100, 3), frame(64, 4));
        for (ByteString f : frames) {
            tx.add(List.of(new byte[header], f.toArray())); // header and frame in separate buffers, as Linux does
        }
        tx.add(List.of(new byte[header - 1])); // too short for a header
        driver.notify(VirtioNet.TRANSMITQ);
        vm.idle(Duration.ofMillis(150));
        assertEquals(2, tx.takeUsed().size(), "the stream buffers two frames; the rest stay in the guest's queue");

        wire.request(10);
        vm.await("all frames", () -> wire.received().size() == 4 && net.counters().txDropped() == 1);
        assertEquals(frames, wire.received());
        assertEquals(3, tx.takeUsed().size());
        assertEquals(new NetCounters(0, 0, 4, 1), net.counters());
    }

    @ParameterizedTest
    @EnumSource(MmioMode.class)
    void receivedFramesGetAHeaderAndOversizedOnesAreDroppedAndCounted(MmioMode mode) {
        boot(mode);
        ByteString small = frame(60, 7);
        ByteString jumbo = frame(3000, 8);
        ByteString normal = frame(1514, 9);
        CountingSource wire = new CountingSource(List.of(small, jumbo, normal));
        wire.source().runWith(net.guestInput(), testKit.system());

        vm.idle(Duration.ofMillis(150));
        assertEquals(0, wire.pulled(), "no receive buffers: the wire is not pulled");

        rx.add(List.of(), header + 1514);
        rx.add(List.of(), header + 1514);
        driver.notify(VirtioNet.RECEIVEQ);
        vm.await("two frames in", () -> rx.usedIdx() == 2);
        List<DriverQueue.Used> used = rx.takeUsed();
        assertEquals(header + 60, used.get(0).len());
        assertEquals(header + 1514, used.get(1).len());
        assertArrayEquals(small.toArray(), Arrays.copyOfRange(used.get(0).data(), header, header + 60));
        assertArrayEquals(normal.toArray(), Arrays.copyOfRange(used.get(1).data(), header, header + 1514));
        ByteBuffer hdr = ByteBuffer.wrap(used.get(0).data(), 0, header).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0, hdr.get(0), "flags");
        assertEquals(0, hdr.get(1), "gso_type NONE");
        if (mode == MmioMode.MODERN) {
            assertEquals(1, hdr.getShort(10), "num_buffers");
        }
        assertEquals(new NetCounters(2, 1, 0, 0), net.counters());
        assertEquals(3, wire.pulled());
        assertEquals(1, driver.interruptStatus() & 1);
    }

    @Test
    void framesWaitingAtTheWireFillEveryPostedBufferInOneDrainAndNoMore() throws InterruptedException {
        boot(MmioMode.MODERN);
        for (int i = 0; i < 8; i++) {
            rx.add(List.of(), header + 1514);
        }
        driver.notify(VirtioNet.RECEIVEQ);
        List<ByteString> frames = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            frames.add(frame(60 + i, i));
        }
        CountingSource wire = new CountingSource(frames);
        wire.source().runWith(net.guestInput(), testKit.system());

        // The VM's thread connects the stream; the device asks for as many frames as the guest has buffers.
        var work = vm.executor();
        vm.await("the stream connected", () -> wire.pulled() > 0);
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (wire.pulled() < 8 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        Thread.sleep(50); // the last pushes land in the hand-off
        assertEquals(8, wire.pulled(), "pulled as many frames as there are posted buffers, at once");
        int before = rx.usedIdx();
        work.runPending();
        assertEquals(8, rx.usedIdx(), "one drain put the whole batch into the guest (" + before + " before it)");
        assertEquals(1, interrupts, "one interrupt for the batch");
        List<DriverQueue.Used> used = rx.takeUsed();
        for (int i = 0; i < 8; i++) {
            assertEquals(header + 60 + i, used.get(i).len(), "frames in wire order");
        }

        vm.idle(Duration.ofMillis(100));
        assertEquals(8, wire.pulled(), "no buffers left: the wire waits");
        rx.add(List.of(), header + 1514);
        rx.add(List.of(), header + 1514);
        driver.notify(VirtioNet.RECEIVEQ);
        vm.await("two more frames", () -> rx.usedIdx() == 10);
        vm.idle(Duration.ofMillis(50));
        assertEquals(10, wire.pulled());
        assertEquals(new NetCounters(10, 0, 0, 0), net.counters());
    }

    @Test
    void framesFlowBothWaysThroughOneFlow() {
        boot(MmioMode.MODERN);
        CountingSource toGuest = new CountingSource(List.of(frame(70, 1), frame(80, 2), frame(90, 3)));
        DemandProbe fromGuest = new DemandProbe();
        toGuest.source().via(net.frames()).runWith(fromGuest.sink(), testKit.system());
        fromGuest.request(100);

        for (int i = 0; i < 3; i++) {
            rx.add(List.of(), header + 1514);
        }
        driver.notify(VirtioNet.RECEIVEQ);
        vm.await("three frames in", () -> rx.usedIdx() == 3);
        for (DriverQueue.Used u : rx.takeUsed()) {
            // The guest answers each frame with its payload reversed.
            byte[] payload = Arrays.copyOfRange(u.data(), header, (int) u.len());
            byte[] reply = new byte[payload.length];
            for (int i = 0; i < payload.length; i++) {
                reply[i] = payload[payload.length - 1 - i];
            }
            byte[] withHeader = new byte[header + reply.length];
            System.arraycopy(reply, 0, withHeader, header, reply.length);
            tx.add(List.of(withHeader));
        }
        driver.notify(VirtioNet.TRANSMITQ);
        vm.await("three replies out", () -> fromGuest.received().size() == 3);
        assertEquals(List.of(70, 80, 90), fromGuest.received().stream().map(ByteString::size).toList());
        byte[] first = fromGuest.received().get(0).toArray();
        assertEquals(frame(70, 1).apply(69), first[0]);
    }

    @Test
    void macAddressesAreParsedStrictly() {
        assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("52:54:00:12:34"));
        assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("52:54:00:12:34:zz"));
        assertThrows(IllegalArgumentException.class, () -> new MacAddress(1L << 48));
        assertEquals(0x525400123456L, MAC.value());
    }
}
