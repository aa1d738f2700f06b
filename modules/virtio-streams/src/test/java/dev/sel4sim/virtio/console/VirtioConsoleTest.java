package dev.sel4sim.virtio.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

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

class VirtioConsoleTest {
    private static ActorTestKit testKit;

    private final TestRam ram = TestRam.confined(0x4000_0000L, 4 << 20);
    private final ThreadCheckingMemory memory = new ThreadCheckingMemory(ram.memory(), Thread.currentThread());
    private final ManualVm vm = new ManualVm();
    private final List<VirtqueueError> errors = new ArrayList<>();
    private VirtioConsole console;
    private VirtioMmioTransport transport;
    private FakeDriver driver;
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

    private void boot(MmioMode mode, int outputBuffer) {
        console = new VirtioConsole(vm.executor(), new ConsoleConfig(100, 40, outputBuffer));
        transport = new VirtioMmioTransport(console, memory, mode, level -> { }, errors::add);
        driver = new FakeDriver(transport, ram);
        assertTrue(driver.negotiate(-1L));
        rx = driver.setupQueue(VirtioConsole.RECEIVEQ, 16);
        tx = driver.setupQueue(VirtioConsole.TRANSMITQ, 16);
        driver.driverOk();
    }

    @org.junit.jupiter.api.Test
    void aMalformedChainBreaksOneConsoleWhileItsNeighbourAndBothStreamsCarryOn() {
        boot(MmioMode.MODERN, 4);
        List<VirtqueueError> brokenErrors = new ArrayList<>();
        VirtioConsole victim = new VirtioConsole(vm.executor(), new ConsoleConfig(80, 25, 4));
        VirtioMmioTransport victimTransport = new VirtioMmioTransport(victim, memory, MmioMode.LEGACY, level -> { },
                brokenErrors::add);
        FakeDriver victimDriver = new FakeDriver(victimTransport, ram);
        victimDriver.negotiate(-1L);
        victimDriver.setupQueue(VirtioConsole.RECEIVEQ, 8);
        DriverQueue victimTx = victimDriver.setupQueue(VirtioConsole.TRANSMITQ, 8);
        victimDriver.driverOk();

        DemandProbe victimOut = new DemandProbe();
        victim.guestOutput().runWith(victimOut.sink(), testKit.system());
        DemandProbe neighbourOut = new DemandProbe();
        console.guestOutput().runWith(neighbourOut.sink(), testKit.system());
        victimOut.request(100);
        neighbourOut.request(100);

        long buffer = ram.alloc(8, 8);
        victimTx.setDesc(0, buffer, 8, DriverQueue.NEXT, 0); // a descriptor that chains to itself
        victimTx.publish(0);
        victimDriver.notify(VirtioConsole.TRANSMITQ);
        vm.await("the victim breaks", () -> !brokenErrors.isEmpty());
        assertEquals(VirtqueueError.Reason.CHAIN_LOOP, brokenErrors.get(0).reason());
        assertEquals(FakeDriver.NEEDS_RESET, victimDriver.status() & FakeDriver.NEEDS_RESET);

        tx.add(List.of(ascii("neighbour ok")));
        driver.notify(VirtioConsole.TRANSMITQ);
        vm.await("neighbour output", () -> neighbourOut.concatenated().utf8String().equals("neighbour ok"));

        // The driver resets the broken device and starts over; the same stream carries its output again.
        victimDriver.negotiate(-1L);
        victimDriver.setupQueue(VirtioConsole.RECEIVEQ, 8);
        DriverQueue freshTx = victimDriver.setupQueue(VirtioConsole.TRANSMITQ, 8);
        victimDriver.driverOk();
        freshTx.add(List.of(ascii("recovered")));
        victimDriver.notify(VirtioConsole.TRANSMITQ);
        vm.await("victim output after reset", () -> victimOut.concatenated().utf8String().equals("recovered"));
        assertEquals(1, brokenErrors.size());
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @ParameterizedTest
    @EnumSource(MmioMode.class)
    void identityAndConfigSpace(MmioMode mode) {
        boot(mode, 4);
        assertEquals(3, driver.reg(0x008));
        assertEquals(100, driver.config(0, 2));
        assertEquals(40, driver.config(2, 2));
        assertEquals(1, driver.config(4, 4), "max_nr_ports");
    }

    @ParameterizedTest
    @EnumSource(MmioMode.class)
    void guestOutputWaitsInTheTransmitQueueUntilTheConsumerPulls(MmioMode mode) {
        boot(mode, 2);
        DemandProbe consumer = new DemandProbe();
        console.guestOutput().runWith(consumer.sink(), testKit.system());

        List<DriverQueue.Used> used = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            tx.add(List.of(ascii("line " + i + "\n")));
        }
        driver.notify(VirtioConsole.TRANSMITQ);
        vm.idle(Duration.ofMillis(200));
        used.addAll(tx.takeUsed());
        assertEquals(2, used.size(), "only the stream's two buffered elements leave the guest");
        assertTrue(consumer.received().isEmpty());

        consumer.request(5);
        vm.await("five lines", () -> consumer.received().size() == 5);
        used.addAll(tx.takeUsed());
        assertEquals(5, used.size());
        assertEquals("line 0\nline 1\nline 2\nline 3\nline 4\n", consumer.concatenated().utf8String());
        assertEquals(1, driver.interruptStatus() & 1);
        used.forEach(u -> assertEquals(0, u.len(), "nothing is written into transmit buffers"));
        assertEquals(35, console.bytesFromGuest());
    }

    @ParameterizedTest
    @EnumSource(MmioMode.class)
    void hostInputIsNotPulledUntilTheGuestPostsReceiveBuffers(MmioMode mode) {
        boot(mode, 2);
        CountingSource host = new CountingSource(List.of(ByteString.fromString("hello "), ByteString.fromString("world")));
        host.source().runWith(console.guestInput(), testKit.system());

        vm.idle(Duration.ofMillis(200));
        assertEquals(0, host.pulled(), "no receive buffers: upstream must not be pulled");

        StringBuilder seen = new StringBuilder();
        rx.add(List.of(), 4);
        driver.notify(VirtioConsole.RECEIVEQ);
        vm.await("first buffer filled", () -> rx.usedIdx() == 1);
        rx.takeUsed().forEach(u -> seen.append(new String(u.data(), StandardCharsets.US_ASCII)));
        assertEquals("hell", seen.toString());
        assertEquals(1, host.pulled(), "one element at a time");

        rx.add(List.of(), 4);
        rx.add(List.of(), 4);
        driver.notify(VirtioConsole.RECEIVEQ);
        vm.await("two more buffers filled", () -> rx.usedIdx() == 3);
        rx.takeUsed().forEach(u -> seen.append(new String(u.data(), StandardCharsets.US_ASCII)));
        assertEquals("hello worl", seen.toString());
        vm.idle(Duration.ofMillis(50));
        assertEquals(2, host.pulled());

        rx.add(List.of(), 64);
        driver.notify(VirtioConsole.RECEIVEQ);
        vm.await("last byte", () -> rx.usedIdx() == 4);
        rx.takeUsed().forEach(u -> seen.append(new String(u.data(), StandardCharsets.US_ASCII)));
        assertEquals("hello world", seen.toString(), "no byte lost, none duplicated");
        assertEquals(11, console.bytesToGuest());
        assertEquals(1, driver.interruptStatus() & 1);
    }

    @ParameterizedTest
    @EnumSource(MmioMode.class)
    void aLongTransferKeepsEveryByteInOrder(MmioMode mode) {
        boot(mode, 3);
        StringBuilder expected = new StringBuilder();
        List<ByteString> chunks = IntStream.range(0, 40).mapToObj(i -> ByteString.fromString("<" + i + ">")).toList();
        chunks.forEach(c -> expected.append(c.utf8String()));
        CountingSource host = new CountingSource(chunks);
        host.source().runWith(console.guestInput(), testKit.system());
        DemandProbe consumer = new DemandProbe();
        console.guestOutput().runWith(consumer.sink(), testKit.system());
        consumer.request(Long.MAX_VALUE / 2);

        StringBuilder fromHost = new StringBuilder();
        int echoed = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (fromHost.length() < expected.length() && System.nanoTime() < deadline) {
            // A guest that echoes what it reads, through small buffers.
            if (rx.freeDescriptors() > 0) {
                rx.add(List.of(), 5);
                driver.notify(VirtioConsole.RECEIVEQ);
            }
            for (DriverQueue.Used u : rx.takeUsed()) {
                fromHost.append(new String(u.data(), StandardCharsets.US_ASCII));
                if (tx.freeDescriptors() == 0) {
                    vm.await("transmit room", () -> !tx.takeUsed().isEmpty() || tx.freeDescriptors() > 0);
                }
                tx.add(List.of(u.data()));
                driver.notify(VirtioConsole.TRANSMITQ);
                echoed++;
            }
            tx.takeUsed();
            vm.idle(Duration.ofMillis(1));
        }
        assertEquals(expected.toString(), fromHost.toString());
        int sent = echoed;
        vm.await("echo back out", () -> {
            tx.takeUsed();
            return consumer.concatenated().size() == expected.length();
        });
        assertEquals(expected.toString(), consumer.concatenated().utf8String());
        assertTrue(sent > 0);
    }
}
