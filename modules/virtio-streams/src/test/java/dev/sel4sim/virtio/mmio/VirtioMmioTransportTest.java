package dev.sel4sim.virtio.mmio;

import static dev.sel4sim.virtio.testing.DriverQueue.NEXT;
import static dev.sel4sim.virtio.testing.DriverQueue.WRITE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.sel4sim.virtio.device.FeatureBits;
import dev.sel4sim.virtio.queue.VirtqueueError;
import dev.sel4sim.virtio.queue.VirtqueueError.Reason;
import dev.sel4sim.virtio.testing.DriverQueue;
import dev.sel4sim.virtio.testing.FakeDriver;
import dev.sel4sim.virtio.testing.LoopbackDevice;
import dev.sel4sim.virtio.testing.TestRam;
import dev.sel4sim.virtio.transport.InterruptLine;

class VirtioMmioTransportTest {
    private static final long ALL = -1L;
    private final TestRam ram = TestRam.confined(0x4000_0000L, 4 << 20);
    private final List<Boolean> lineChanges = new ArrayList<>();
    private final List<VirtqueueError> errors = new ArrayList<>();

    @AfterEach
    void close() {
        ram.close();
    }

    private record Bench(VirtioMmioTransport transport, LoopbackDevice device, FakeDriver driver) {
    }

    private Bench bench(MmioMode mode) {
        return bench(mode, lineChanges::add, errors::add);
    }

    private Bench bench(MmioMode mode, InterruptLine line, Consumer<VirtqueueError> onError) {
        LoopbackDevice device = new LoopbackDevice();
        VirtioMmioTransport t = new VirtioMmioTransport(device, ram.memory(), mode, line, onError);
        return new Bench(t, device, new FakeDriver(t, ram));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @ParameterizedTest
    @EnumSource(MmioMode.class)
    void identifiesItself(MmioMode mode) {
        FakeDriver d = bench(mode).driver();
        assertEquals(0x74726976, d.reg(0x000));
        assertEquals(mode.version(), d.reg(0x004));
        assertEquals(LoopbackDevice.ID, d.reg(0x008));
        assertTrue(d.reg(0x00c) != 0);
    }

    @Test
    void modernOffersVersion1AndTheDevicesHighFeatures() {
        long offered = bench(MmioMode.MODERN).driver().deviceFeatures();
        assertTrue(FeatureBits.has(offered, FeatureBits.VERSION_1));
        assertTrue(FeatureBits.has(offered, 40));
        assertTrue(FeatureBits.has(offered, 0));
        assertTrue(FeatureBits.has(offered, FeatureBits.EVENT_IDX));
        assertTrue(FeatureBits.has(offered, FeatureBits.INDIRECT_DESC));
    }

    @Test
    void legacyOffersNeitherVersion1NorAnythingAbove31() {
        long offered = bench(MmioMode.LEGACY).driver().deviceFeatures();
        assertEquals(0, offered >>> 32);
        assertTrue(FeatureBits.has(offered, 0));
    }

    @Test
    void featuresOkIsRefusedForUnofferedFeaturesOrWithoutVersion1() {
        Bench b = bench(MmioMode.MODERN);
        FakeDriver d = b.driver();
        d.reset();
        d.reg(0x070, FakeDriver.ACKNOWLEDGE | FakeDriver.DRIVER);
        d.writeDriverFeatures(FeatureBits.bit(FeatureBits.VERSION_1) | FeatureBits.bit(7));
        d.reg(0x070, FakeDriver.ACKNOWLEDGE | FakeDriver.DRIVER | FakeDriver.FEATURES_OK);
        assertEquals(0, d.status() & FakeDriver.FEATURES_OK, "bit 7 was never offered");

        assertFalse(d.negotiate(FeatureBits.bit(0)), "no VERSION_1");
        assertTrue(d.negotiate(ALL));
        assertEquals(b.transport().offeredFeatures(), b.transport().negotiatedFeatures());

        d.negotiate(FeatureBits.bit(0));
        d.reg(0x070, FakeDriver.ACKNOWLEDGE | FakeDriver.DRIVER | FakeDriver.DRIVER_OK);
        assertEquals(0, d.status() & FakeDriver.DRIVER_OK, "DRIVER_OK without FEATURES_OK does not stick");
        assertEquals(0, b.device().activations);
    }

    @Test
    void driverFeaturesAreFrozenOnceFeaturesOk() {
        Bench b = bench(MmioMode.MODERN);
        b.driver().negotiate(FeatureBits.bit(FeatureBits.VERSION_1));
        b.driver().writeDriverFeatures(ALL);
        assertEquals(FeatureBits.bit(FeatureBits.VERSION_1), b.transport().negotiatedFeatures());
    }

    @ParameterizedTest
    @EnumSource(MmioMode.class)
    void aRoundTripThroughAQueueRaisesAndClearsTheLevelInterrupt(MmioMode mode) {
        Bench b = bench(mode);
        FakeDriver d = b.driver();
        assertTrue(d.negotiate(ALL & ~FeatureBits.bit(FeatureBits.EVENT_IDX)));
        DriverQueue q = d.setupQueue(1, 8);
        d.driverOk();
        assertEquals(1, b.device().activations);

        int head = q.add(List.of(ascii("ping")), 2, 8);
        assertEquals(0, d.interruptStatus());
        d.notify(1);
        List<DriverQueue.Used> used = q.takeUsed();
        assertEquals(1, used.size());
        assertEquals(head, used.get(0).id());
        assertEquals(4, used.get(0).len());
        assertArrayEquals(ascii("ping"), used.get(0).data());
        assertEquals(1, d.interruptStatus());
        assertTrue(b.transport().interruptLevel());
        assertEquals(List.of(true), lineChanges);

        d.ack(1);
        assertEquals(0, d.interruptStatus());
        assertEquals(List.of(true, false), lineChanges);
    }

    @ParameterizedTest
    @EnumSource(MmioMode.class)
    void buffersPostedBeforeDriverOkAreServedWhenTheDriverIsReady(MmioMode mode) {
        Bench b = bench(mode);
        FakeDriver d = b.driver();
        d.negotiate(ALL);
        DriverQueue q = d.setupQueue(0, 4);
        q.add(List.of(ascii("early")), 8);
        d.notify(0);
        assertTrue(q.takeUsed().isEmpty(), "no DRIVER_OK yet");
        d.driverOk();
        assertArrayEquals(ascii("early"), q.takeUsed().get(0).data());
    }

    @ParameterizedTest
    @EnumSource(MmioMode.class)
    void writingZeroToStatusResetsEverything(MmioMode mode) {
        Bench b = bench(mode);
        FakeDriver d = b.driver();
        d.negotiate(ALL);
        DriverQueue q = d.setupQueue(0, 4);
        d.driverOk();
        q.add(List.of(ascii("x")), 1);
        d.notify(0);
        assertEquals(1, d.interruptStatus());
        int resetsBefore = b.device().resets;

        d.reset();
        assertEquals(0, d.status());
        assertEquals(0, d.interruptStatus());
        assertFalse(b.transport().interruptLevel());
        assertEquals(0, b.transport().negotiatedFeatures());
        d.reg(0x030, 0);
        assertEquals(0, d.reg(mode == MmioMode.LEGACY ? 0x040 : 0x044), "queue no longer set up");
        assertEquals(resetsBefore + 1, b.device().resets);

        // Queues work again after renegotiation; legacy keeps GuestPageSize across the reset (Linux writes it once).
        d.reg(0x070, FakeDriver.ACKNOWLEDGE);
        d.reg(0x070, FakeDriver.ACKNOWLEDGE | FakeDriver.DRIVER);
        d.writeDriverFeatures(mode == MmioMode.MODERN ? FeatureBits.bit(FeatureBits.VERSION_1) : 0);
        if (mode == MmioMode.MODERN) {
            d.reg(0x070, FakeDriver.ACKNOWLEDGE | FakeDriver.DRIVER | FakeDriver.FEATURES_OK);
        }
        DriverQueue again = d.setupQueue(0, 4);
        d.driverOk();
        again.add(List.of(ascii("again")), 5);
        d.notify(0);
        assertArrayEquals(ascii("again"), again.takeUsed().get(0).data());
    }

    @Test
    void configSpaceAndGeneration() {
        Bench b = bench(MmioMode.MODERN);
        FakeDriver d = b.driver();
        assertEquals(0x22, d.config(1, 1));
        assertEquals(0x4433, d.config(2, 2));
        assertEquals(0x88776655L, d.config(4, 4));
        assertEquals(0x8877665544332211L, d.config(0, 8));
        assertEquals(0x88L, d.config(7, 2), "bytes past the end read as zero");
        assertEquals(0, d.config(0, 3), "odd widths read as zero");

        d.negotiate(ALL);
        d.driverOk();
        int gen = d.configGeneration();
        b.device().setConfigByte(0, (byte) 0x99);
        assertEquals(gen + 1, d.configGeneration());
        assertEquals(0x99, d.config(0, 1));
        assertEquals(2, d.interruptStatus(), "configuration change interrupt");
    }

    @Test
    void queuesThatDoNotExistAndOddAccessesAreHarmless() {
        Bench b = bench(MmioMode.MODERN);
        FakeDriver d = b.driver();
        d.negotiate(ALL);
        d.reg(0x030, 5);
        assertEquals(0, d.reg(0x034));
        d.reg(0x038, 4);
        d.reg(0x044, 1);
        assertEquals(0, d.reg(0x044));
        d.driverOk();
        d.notify(5);
        d.notify(-1);
        assertEquals(0, b.transport().read(0x000, 2), "registers are 32-bit only");
        assertEquals(-1, d.reg(0x0b0), "no shared memory region");
        assertEquals(-1, d.reg(0x0b4));
        b.transport().write(0x070, 1, 0);
        assertTrue((d.status() & FakeDriver.DRIVER_OK) != 0, "a byte write to Status is ignored");
        assertTrue(errors.isEmpty());
    }

    @Test
    void aQueueOfBadSizeBreaksOnlyThatDevice() {
        Bench bad = bench(MmioMode.MODERN);
        List<Boolean> otherLine = new ArrayList<>();
        List<VirtqueueError> otherErrors = new ArrayList<>();
        Bench good = bench(MmioMode.MODERN, otherLine::add, otherErrors::add);

        FakeDriver d = bad.driver();
        d.negotiate(ALL);
        DriverQueue q = DriverQueue.modern(ram, 8);
        d.reg(0x030, 0);
        d.reg(0x038, 6);
        d.setQueueAddresses(q.desc(), q.avail(), q.used());
        d.reg(0x044, 1);
        assertEquals(0, d.reg(0x044));
        assertEquals(FakeDriver.NEEDS_RESET, d.status() & FakeDriver.NEEDS_RESET);
        assertEquals(2, d.interruptStatus());
        assertEquals(1, errors.size());
        assertEquals(Reason.BAD_QUEUE_CONFIG, errors.get(0).reason());
        assertEquals(Reason.BAD_QUEUE_CONFIG, bad.transport().error().orElseThrow().reason());

        FakeDriver other = good.driver();
        other.negotiate(ALL);
        DriverQueue oq = other.setupQueue(0, 8);
        other.driverOk();
        oq.add(List.of(ascii("fine")), 4);
        other.notify(0);
        assertArrayEquals(ascii("fine"), oq.takeUsed().get(0).data());
        assertTrue(otherErrors.isEmpty());
        assertEquals(List.of(true), otherLine);

        d.reset();
        assertEquals(0, d.status());
        assertTrue(bad.transport().error().isEmpty());
    }

    @Test
    void legacyQueueWithAPfnOutsideRamBreaksTheDevice() {
        Bench b = bench(MmioMode.LEGACY);
        FakeDriver d = b.driver();
        d.negotiate(ALL);
        d.reg(0x030, 0);
        d.reg(0x038, 8);
        d.reg(0x040, 0x10);
        assertEquals(Reason.BAD_QUEUE_CONFIG, errors.get(0).reason());
        assertEquals(FakeDriver.NEEDS_RESET, d.status() & FakeDriver.NEEDS_RESET);
    }

    /** One malformed chain per case; each breaks its device and leaves a second device on the same RAM working. */
    enum Malformed {
        LOOP(Reason.CHAIN_LOOP) {
            @Override
            void post(DriverQueue q, TestRam ram) {
                long b = ram.alloc(4, 8);
                q.setDesc(0, b, 4, NEXT, 1);
                q.setDesc(1, b, 4, NEXT, 0);
                q.publish(0);
            }
        },
        OUTSIDE_RAM(Reason.OUTSIDE_RAM) {
            @Override
            void post(DriverQueue q, TestRam ram) {
                q.setDesc(0, 0x1000, 64, 0, 0);
                q.publish(0);
            }
        },
        HEAD_OUT_OF_RANGE(Reason.INDEX_OUT_OF_RANGE) {
            @Override
            void post(DriverQueue q, TestRam ram) {
                q.publish(200);
            }
        },
        READABLE_AFTER_WRITABLE(Reason.READABLE_AFTER_WRITABLE) {
            @Override
            void post(DriverQueue q, TestRam ram) {
                q.setDesc(0, ram.alloc(4, 8), 4, NEXT | WRITE, 1);
                q.setDesc(1, ram.alloc(4, 8), 4, 0, 0);
                q.publish(0);
            }
        },
        TOO_LONG(Reason.CHAIN_TOO_LONG) {
            @Override
            void post(DriverQueue q, TestRam ram) {
                q.setDesc(0, ram.alloc(128 * 1024, 8), 128 * 1024, 0, 0);
                q.publish(0);
            }
        },
        BAD_INDIRECT(Reason.BAD_INDIRECT_LENGTH) {
            @Override
            void post(DriverQueue q, TestRam ram) {
                q.setDesc(0, ram.alloc(64, 16), 24, DriverQueue.INDIRECT, 0);
                q.publish(0);
            }
        };

        final Reason reason;

        Malformed(Reason reason) {
            this.reason = reason;
        }

        abstract void post(DriverQueue q, TestRam ram);
    }

    @ParameterizedTest
    @EnumSource(Malformed.class)
    void aMalformedChainBreaksOnlyItsDevice(Malformed kind) {
        Bench victim = bench(MmioMode.MODERN);
        List<VirtqueueError> otherErrors = new ArrayList<>();
        Bench bystander = bench(MmioMode.LEGACY, level -> { }, otherErrors::add);

        FakeDriver v = victim.driver();
        v.negotiate(ALL);
        DriverQueue vq = v.setupQueue(0, 8);
        v.driverOk();
        FakeDriver o = bystander.driver();
        o.negotiate(ALL);
        DriverQueue oq = o.setupQueue(0, 8);
        o.driverOk();

        kind.post(vq, ram);
        v.notify(0);
        assertEquals(List.of(kind.reason), errors.stream().map(VirtqueueError::reason).toList());
        assertEquals(FakeDriver.NEEDS_RESET, v.status() & FakeDriver.NEEDS_RESET);
        assertEquals(2, v.interruptStatus());
        assertTrue(vq.takeUsed().isEmpty());

        vq.add(List.of(ascii("ignored")), 8);
        v.notify(0);
        assertTrue(vq.takeUsed().isEmpty(), "a broken device does not touch its queues");
        assertEquals(1, errors.size(), "the error is reported once");

        oq.add(List.of(ascii("still here")), 16);
        o.notify(0);
        assertArrayEquals(ascii("still here"), oq.takeUsed().get(0).data());
        assertTrue(otherErrors.isEmpty());
    }

    @Test
    void eventIdxSuppressesInterruptsUntilUsedEventIsCrossed() {
        Bench b = bench(MmioMode.MODERN);
        FakeDriver d = b.driver();
        d.negotiate(ALL);
        DriverQueue q = d.setupQueue(0, 8);
        d.driverOk();
        q.setUsedEvent(2);
        for (int i = 0; i < 2; i++) {
            q.add(List.of(ascii("a")), 1);
            d.notify(0);
            assertEquals(0, d.interruptStatus(), "entry " + i + " is before used_event");
        }
        q.add(List.of(ascii("b")), 1);
        d.notify(0);
        assertEquals(1, d.interruptStatus());
        assertEquals(3, q.takeUsed().size());
        assertEquals(3, q.availEvent(), "the device asks to be notified for the next buffer");
    }

    @Test
    void noInterruptFlagWithoutEventIdx() {
        Bench b = bench(MmioMode.LEGACY);
        FakeDriver d = b.driver();
        d.negotiate(ALL & ~FeatureBits.bit(FeatureBits.EVENT_IDX));
        DriverQueue q = d.setupQueue(0, 8);
        d.driverOk();
        q.setAvailFlags(1);
        q.add(List.of(ascii("quiet")), 8);
        d.notify(0);
        assertEquals(1, q.takeUsed().size());
        assertEquals(0, d.interruptStatus());
        q.setAvailFlags(0);
        q.add(List.of(ascii("loud")), 8);
        d.notify(0);
        assertEquals(1, d.interruptStatus());
    }

    @ParameterizedTest
    @EnumSource(MmioMode.class)
    void randomRegisterWritesNeverThrow(MmioMode mode) {
        Bench b = bench(mode);
        Random random = new Random(4242);
        for (int i = 0; i < 20_000; i++) {
            long offset = random.nextInt(0x140) & ~3L;
            long value = random.nextInt(4) == 0 ? random.nextInt(4) : random.nextLong();
            if (offset == 0x070 && random.nextBoolean()) {
                value = random.nextInt(16);
            }
            b.transport().write(offset, 4, value);
            b.transport().read(random.nextInt(0x140), 1 << random.nextInt(4));
        }
        b.driver().reset();
        assertEquals(0, b.driver().status());
        assertTrue(b.driver().negotiate(ALL));
    }
}
