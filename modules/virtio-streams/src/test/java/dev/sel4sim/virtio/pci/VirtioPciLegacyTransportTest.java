package dev.sel4sim.virtio.pci;

import static dev.sel4sim.virtio.pci.VirtioPciLegacyTransport.*;
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

import dev.sel4sim.virtio.device.FeatureBits;
import dev.sel4sim.virtio.queue.VirtqueueError;
import dev.sel4sim.virtio.queue.VirtqueueError.Reason;
import dev.sel4sim.virtio.testing.DriverQueue;
import dev.sel4sim.virtio.testing.LegacyPciDriver;
import dev.sel4sim.virtio.testing.LoopbackDevice;
import dev.sel4sim.virtio.testing.TestRam;
import dev.sel4sim.virtio.transport.InterruptLine;

class VirtioPciLegacyTransportTest {
    private final TestRam ram = TestRam.confined(0x4000_0000L, 4 << 20);
    private final List<Boolean> lineChanges = new ArrayList<>();
    private final List<VirtqueueError> errors = new ArrayList<>();

    @AfterEach
    void close() {
        ram.close();
    }

    private record Bench(VirtioPciLegacyTransport transport, LoopbackDevice device, LegacyPciDriver driver) {
    }

    private Bench bench() {
        return bench(lineChanges::add, errors::add);
    }

    private Bench bench(InterruptLine line, Consumer<VirtqueueError> onError) {
        LoopbackDevice device = new LoopbackDevice();
        VirtioPciLegacyTransport t = new VirtioPciLegacyTransport(device, ram.memory(), line, onError);
        return new Bench(t, device, new LegacyPciDriver(t, ram));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void hostFeaturesAreTheLow32BitsWithTheRingFeaturesAndWithoutVersion1() {
        Bench b = bench();
        long host = b.driver().hostFeatures();
        assertEquals(1L | FeatureBits.bit(FeatureBits.INDIRECT_DESC) | FeatureBits.bit(FeatureBits.EVENT_IDX), host,
                "bit 40 of the device and VERSION_1 (32) cannot be shown to a legacy driver");
        assertEquals(host, b.transport().offeredFeatures());
    }

    @Test
    void guestFeaturesReadBackAndNegotiateOnlyWhatWasOffered() {
        Bench b = bench();
        LegacyPciDriver d = b.driver();
        d.reset();
        d.write8(DEVICE_STATUS, LegacyPciDriver.ACKNOWLEDGE | LegacyPciDriver.DRIVER);
        d.write32(GUEST_FEATURES, 0x8000_0081);
        assertEquals(0x8000_0081, d.read32(GUEST_FEATURES));
        assertEquals(1, b.transport().negotiatedFeatures(), "bits 7 and 31 were never offered");

        d.driverOk();
        d.write32(GUEST_FEATURES, 0);
        assertEquals(1, b.transport().negotiatedFeatures(), "features are frozen once the driver is running");
        assertEquals(1, b.device().activations);
    }

    @Test
    void queueSizeIsTheDevicesAndSelectReadsBack() {
        LegacyPciDriver d = bench().driver();
        assertEquals(16, d.queueSize(0));
        assertEquals(16, d.queueSize(1));
        assertEquals(1, d.read16(QUEUE_SELECT));
        assertEquals(0, d.queueSize(2), "no third queue: a legacy driver stops at size 0");
        d.write16(QUEUE_SELECT, 2);
        d.write32(QUEUE_PFN, 0x40123);
        assertEquals(0, d.read32(QUEUE_PFN));
        assertTrue(errors.isEmpty());
    }

    @Test
    void aQueueSetUpByPfnCarriesARoundTripAndTheIsrReadClearsTheInterrupt() {
        Bench b = bench();
        LegacyPciDriver d = b.driver();
        d.negotiate(-1L & ~FeatureBits.bit(FeatureBits.EVENT_IDX));
        DriverQueue q = d.setupQueue(1);
        assertEquals(q.desc() / 4096, Integer.toUnsignedLong(d.read32(QUEUE_PFN)));
        assertEquals(0, q.used() % 4096, "used ring on its own page");
        d.driverOk();

        int head = q.add(List.of(ascii("ping")), 2, 8);
        assertFalse(b.transport().interruptLevel());
        d.notify(1);
        List<DriverQueue.Used> used = q.takeUsed();
        assertEquals(1, used.size());
        assertEquals(head, used.get(0).id());
        assertArrayEquals(ascii("ping"), used.get(0).data());
        assertTrue(b.transport().interruptLevel());
        assertEquals(List.of(true), lineChanges);

        assertEquals(1, d.isr(), "queue interrupt");
        assertFalse(b.transport().interruptLevel(), "reading the ISR drops the line");
        assertEquals(List.of(true, false), lineChanges);
        assertEquals(0, d.isr(), "and clears it");
    }

    @Test
    void writingZeroToStatusResetsTheDeviceAndItsQueues() {
        Bench b = bench();
        LegacyPciDriver d = b.driver();
        d.negotiate(-1L);
        DriverQueue q = d.setupQueue(0);
        d.driverOk();
        q.add(List.of(ascii("x")), 1);
        d.notify(0);
        assertEquals(1, q.takeUsed().size());
        assertTrue(b.transport().interruptLevel());
        int resets = b.device().resets;

        d.write16(QUEUE_SELECT, 1);
        d.reset();
        assertEquals(0, d.status());
        assertFalse(b.transport().interruptLevel());
        assertEquals(0, b.transport().negotiatedFeatures());
        assertEquals(0, d.read32(GUEST_FEATURES));
        assertEquals(0, d.read16(QUEUE_SELECT));
        assertEquals(0, d.read32(QUEUE_PFN), "queue 0 is no longer set up");
        assertEquals(resets + 1, b.device().resets);
        assertEquals(0, d.isr());

        q.add(List.of(ascii("stale")), 8);
        d.notify(0);
        assertTrue(q.takeUsed().isEmpty(), "a reset device does not touch the old rings");

        d.negotiate(-1L);
        DriverQueue again = d.setupQueue(0);
        d.driverOk();
        again.add(List.of(ascii("again")), 5);
        d.notify(0);
        assertArrayEquals(ascii("again"), again.takeUsed().get(0).data());
    }

    @Test
    void pfnZeroDisablesTheQueue() {
        Bench b = bench();
        LegacyPciDriver d = b.driver();
        d.negotiate(-1L);
        DriverQueue q = d.setupQueue(0);
        d.driverOk();
        d.setQueuePfn(0, 0);
        q.add(List.of(ascii("gone")), 4);
        d.notify(0);
        assertTrue(q.takeUsed().isEmpty());
        assertTrue(errors.isEmpty());
    }

    @Test
    void configSpaceStartsAt20() {
        Bench b = bench();
        LegacyPciDriver d = b.driver();
        assertEquals(0x11, d.config(0, 1));
        assertEquals(0x4433, d.config(2, 2));
        assertEquals(0x88776655, d.config(4, 4));
        assertEquals(0, d.config(8, 1), "past the end reads as zero");
        assertEquals(0, d.config(0, 3), "odd widths read as zero");
        assertEquals(CONFIG + 8, b.transport().registerBytes());

        d.negotiate(-1L);
        d.driverOk();
        b.device().setConfigByte(0, (byte) 0x99);
        assertEquals(0x99, d.config(0, 1));
        assertEquals(2, d.isr(), "configuration change interrupt");
    }

    @Test
    void registersAnswerOnlyTheirOwnWidth() {
        Bench b = bench();
        LegacyPciDriver d = b.driver();
        d.negotiate(-1L);
        d.write8(DEVICE_STATUS, LegacyPciDriver.ACKNOWLEDGE | LegacyPciDriver.DRIVER | LegacyPciDriver.DRIVER_OK);
        assertEquals(0, d.read32(DEVICE_STATUS & ~3), "no 32-bit view over queue notify and status");
        assertEquals(0, d.read16(HOST_FEATURES));
        b.transport().write(DEVICE_STATUS, 2, 0);
        assertEquals(LegacyPciDriver.DRIVER_OK, d.status() & LegacyPciDriver.DRIVER_OK, "a 16-bit write to status is ignored");
        b.transport().write(QUEUE_SELECT, 4, 1);
        assertEquals(0, d.read16(QUEUE_SELECT));
        assertEquals(0, b.transport().read(-4, 4));
        assertEquals(0, b.transport().read(CONFIG + 4096, 4));
        assertTrue(errors.isEmpty());
    }

    @Test
    void aPfnOutsideRamBreaksOnlyThatDevice() {
        Bench bad = bench();
        List<Boolean> otherLine = new ArrayList<>();
        List<VirtqueueError> otherErrors = new ArrayList<>();
        Bench good = bench(otherLine::add, otherErrors::add);

        LegacyPciDriver d = bad.driver();
        d.negotiate(-1L);
        d.setQueuePfn(0, 0x10); // 64 KiB: below the test RAM
        assertEquals(LegacyPciDriver.NEEDS_RESET, d.status() & LegacyPciDriver.NEEDS_RESET);
        assertEquals(List.of(true), lineChanges);
        assertEquals(2, d.isr(), "configuration interrupt");
        assertEquals(1, errors.size());
        assertEquals(Reason.BAD_QUEUE_CONFIG, errors.get(0).reason());
        assertEquals(0, errors.get(0).queue());

        // A PFN whose rings start in RAM but end past it fails too.
        d.negotiate(-1L);
        d.setQueuePfn(1, (ram.end() - 4096) / 4096);
        assertEquals(LegacyPciDriver.NEEDS_RESET, d.status() & LegacyPciDriver.NEEDS_RESET);
        assertEquals(2, errors.size());

        LegacyPciDriver other = good.driver();
        other.negotiate(-1L);
        DriverQueue oq = other.setupQueue(0);
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
    void aMalformedChainBreaksTheDeviceUntilReset() {
        Bench b = bench();
        LegacyPciDriver d = b.driver();
        d.negotiate(-1L);
        DriverQueue q = d.setupQueue(0);
        d.driverOk();
        long buffer = ram.alloc(8, 8);
        q.setDesc(0, buffer, 8, DriverQueue.NEXT, 0);
        q.publish(0);
        d.notify(0);
        assertEquals(Reason.CHAIN_LOOP, errors.get(0).reason());
        assertEquals(LegacyPciDriver.NEEDS_RESET, d.status() & LegacyPciDriver.NEEDS_RESET);
        assertEquals(2, d.isr());

        q.add(List.of(ascii("ignored")), 8);
        d.notify(0);
        assertTrue(q.takeUsed().isEmpty());
        assertEquals(1, errors.size());
    }

    @Test
    void randomAccessesNeverThrow() {
        Bench b = bench();
        Random random = new Random(77);
        for (int i = 0; i < 20_000; i++) {
            int offset = random.nextInt(40);
            int size = 1 << random.nextInt(3);
            int value = random.nextInt(4) == 0 ? random.nextInt(4) : random.nextInt();
            if (offset == DEVICE_STATUS && random.nextBoolean()) {
                value = random.nextInt(8);
            }
            b.transport().write(offset, size, value);
            b.transport().read(random.nextInt(40), 1 << random.nextInt(3));
        }
        LegacyPciDriver d = b.driver();
        d.negotiate(-1L);
        DriverQueue q = d.setupQueue(0);
        d.driverOk();
        q.add(List.of(ascii("alive")), 8);
        d.notify(0);
        assertArrayEquals(ascii("alive"), q.takeUsed().get(0).data());
    }
}
