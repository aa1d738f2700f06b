package dev.sel4sim.virtio.blk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.sel4sim.virtio.device.FeatureBits;
import dev.sel4sim.virtio.mmio.MmioMode;
import dev.sel4sim.virtio.mmio.VirtioMmioTransport;
import dev.sel4sim.virtio.queue.VirtqueueError;
import dev.sel4sim.virtio.testing.DriverQueue;
import dev.sel4sim.virtio.testing.FakeDriver;
import dev.sel4sim.virtio.testing.TestRam;
import dev.sel4sim.virtio.testing.ThreadCheckingMemory;

class VirtioBlkTest {
    private static final int SECTORS = 64;

    @TempDir
    Path dir;

    private final TestRam ram = TestRam.confined(0x4000_0000L, 8 << 20);
    private final ThreadCheckingMemory memory = new ThreadCheckingMemory(ram.memory(), Thread.currentThread());
    private final List<VirtqueueError> errors = new ArrayList<>();
    private Path imageFile;
    private byte[] pristine;
    private DiskImage disk;
    private VirtioBlk blk;
    private VirtioMmioTransport transport;
    private FakeDriver driver;
    private DriverQueue q;
    private int nextDesc;
    private int lastUsed;
    private int interrupts;

    /** One request as the driver posted it: where the device is to write. */
    record Req(int head, List<long[]> writable) {
        long statusGpa() {
            long[] last = writable.getLast();
            return last[0] + last[1] - 1;
        }
    }

    @AfterEach
    void close() throws IOException {
        assertTrue(memory.intruders().isEmpty(), () -> "guest memory touched from " + memory.intruders());
        if (disk != null) {
            disk.close();
        }
        ram.close();
    }

    private void boot(DiskImage.Mode mode, MmioMode transportMode) throws IOException {
        imageFile = dir.resolve("disk.img");
        pristine = new byte[SECTORS * 512];
        for (int i = 0; i < pristine.length; i++) {
            pristine[i] = (byte) (i / 512 * 7 + i);
        }
        Files.write(imageFile, pristine);
        attach(DiskImage.open(imageFile, mode), transportMode);
    }

    private void attach(DiskImage image, MmioMode transportMode) {
        disk = image;
        blk = new VirtioBlk(disk, "disk0-serial");
        transport = new VirtioMmioTransport(blk, memory, transportMode, level -> {
            if (level) {
                interrupts++;
            }
        }, errors::add);
        driver = new FakeDriver(transport, ram);
        assertTrue(driver.negotiate(-1L));
        q = driver.setupQueue(VirtioBlk.REQUESTQ, 128);
        driver.driverOk();
    }

    private static byte[] header(int type, long sector) {
        return ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(type).putInt(0).putLong(sector).array();
    }

    /** Posts a chain: each readable buffer with its bytes, then writable buffers of the given lengths. */
    private Req post(List<byte[]> readable, int... writable) {
        int count = readable.size() + writable.length;
        List<long[]> out = new ArrayList<>();
        int head = nextDesc % q.size();
        for (int i = 0; i < count; i++) {
            int index = (nextDesc + i) % q.size();
            int next = (nextDesc + i + 1) % q.size();
            int flags = i + 1 < count ? DriverQueue.NEXT : 0;
            long addr;
            long len;
            if (i < readable.size()) {
                byte[] b = readable.get(i);
                addr = ram.alloc(Math.max(1, b.length), 8);
                ram.putBytes(addr, b);
                len = b.length;
            } else {
                len = writable[i - readable.size()];
                addr = ram.alloc(Math.max(1, len), 8);
                ram.putBytes(addr, new byte[(int) len]);
                flags |= DriverQueue.WRITE;
                out.add(new long[] {addr, len});
            }
            q.setDesc(index, addr, len, flags, next);
        }
        nextDesc += count;
        if (!out.isEmpty()) {
            ram.putBytes(out.getLast()[0] + out.getLast()[1] - 1, new byte[] {(byte) 0xee}); // not a status value
        }
        q.publish(head);
        return new Req(head, out);
    }

    private Req read(long sector, int... lengths) {
        int[] w = Arrays.copyOf(lengths, lengths.length + 1);
        w[lengths.length] = 1;
        return post(List.of(header(VirtioBlk.T_IN, sector)), w);
    }

    private Req write(long sector, byte[]... data) {
        List<byte[]> r = new ArrayList<>();
        r.add(header(VirtioBlk.T_OUT, sector));
        r.addAll(List.of(data));
        return post(r, 1);
    }

    private int status(Req r) {
        return ram.getBytes(r.statusGpa(), 1)[0] & 0xff;
    }

    private byte[] data(Req r) {
        List<long[]> w = r.writable();
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < w.size(); i++) {
            long len = i == w.size() - 1 ? w.get(i)[1] - 1 : w.get(i)[1];
            b.writeBytes(ram.getBytes(w.get(i)[0], (int) len));
        }
        return b.toByteArray();
    }

    /** @return used length by head, for the used entries since the last call */
    private java.util.Map<Integer, Long> used() {
        java.util.Map<Integer, Long> out = new java.util.LinkedHashMap<>();
        int now = q.usedIdx();
        while (lastUsed != now) {
            long e = q.used() + 4 + 8L * (lastUsed % q.size());
            out.put((int) ram.get32(e), ram.get32(e + 4));
            lastUsed = (lastUsed + 1) & 0xffff;
        }
        return out;
    }

    private byte[] pristine(long sector, int length) {
        return Arrays.copyOfRange(pristine, (int) sector * 512, (int) sector * 512 + length);
    }

    @ParameterizedTest
    @EnumSource(MmioMode.class)
    void offersItsFeaturesAndConfigSpace(MmioMode mode) throws IOException {
        boot(DiskImage.Mode.COPY_ON_WRITE, mode);
        assertEquals(VirtioBlk.DEVICE_ID, driver.reg(0x008));
        long offered = driver.deviceFeatures();
        assertTrue(FeatureBits.has(offered, VirtioBlk.F_BLK_SIZE));
        assertTrue(FeatureBits.has(offered, VirtioBlk.F_SEG_MAX));
        assertTrue(FeatureBits.has(offered, VirtioBlk.F_FLUSH));
        assertFalse(FeatureBits.has(offered, VirtioBlk.F_RO));
        assertEquals(mode == MmioMode.MODERN, FeatureBits.has(offered, FeatureBits.VERSION_1));
        assertEquals(SECTORS, driver.config(0, 4));
        assertEquals(0, driver.config(4, 4));
        assertEquals(254, driver.config(12, 4));
        assertEquals(512, driver.config(20, 4));
    }

    @ParameterizedTest
    @EnumSource(MmioMode.class)
    void readsSectorsIntoTheGuestsBuffers(MmioMode mode) throws IOException {
        boot(DiskImage.Mode.COPY_ON_WRITE, mode);
        Req r = read(3, 512, 1024);
        driver.notify(0);
        assertEquals(VirtioBlk.S_OK, status(r));
        assertArrayEquals(pristine(3, 1536), data(r));
        assertEquals(1537L, used().get(r.head()), "data and status byte written");
        assertEquals(1, interrupts);
        assertEquals(1, blk.counters().reads());
        assertEquals(1536, blk.counters().bytesRead());
    }

    @Test
    void copyOnWriteKeepsTheFileButTheGuestReadsItsOwnWrites() throws IOException {
        boot(DiskImage.Mode.COPY_ON_WRITE, MmioMode.MODERN);
        byte[] a = new byte[512];
        byte[] b = new byte[1024];
        Arrays.fill(a, (byte) 0x5a);
        Arrays.fill(b, (byte) 0xa5);
        Req w = write(7, a, b);
        Req r = read(6, 2048);
        driver.notify(0);
        assertEquals(VirtioBlk.S_OK, status(w));
        assertEquals(1L, used().get(w.head()), "a write only writes its status byte");
        assertEquals(VirtioBlk.S_OK, status(r));
        byte[] expected = pristine(6, 2048);
        System.arraycopy(a, 0, expected, 512, 512);
        System.arraycopy(b, 0, expected, 1024, 1024);
        assertArrayEquals(expected, data(r), "the read after the write sees it, around it the image");
        assertArrayEquals(pristine, Files.readAllBytes(imageFile), "the image file is unchanged");
        Req f = post(List.of(header(VirtioBlk.T_FLUSH, 0)), 1);
        driver.notify(0);
        assertEquals(VirtioBlk.S_OK, status(f));
        assertArrayEquals(pristine, Files.readAllBytes(imageFile), "a flush does not write the file either");
        assertEquals(1, blk.counters().writes());
        assertEquals(1, blk.counters().flushes());
    }

    @Test
    void writeThroughModifiesTheFile() throws IOException {
        boot(DiskImage.Mode.WRITE_THROUGH, MmioMode.MODERN);
        byte[] a = "written through".getBytes(StandardCharsets.US_ASCII);
        byte[] sector = Arrays.copyOf(a, 512);
        Req w = write(SECTORS - 1, sector);
        Req f = post(List.of(header(VirtioBlk.T_FLUSH, 0)), 1);
        driver.notify(0);
        assertEquals(VirtioBlk.S_OK, status(w));
        assertEquals(VirtioBlk.S_OK, status(f));
        byte[] file = Files.readAllBytes(imageFile);
        assertArrayEquals(sector, Arrays.copyOfRange(file, (SECTORS - 1) * 512, SECTORS * 512));
        assertArrayEquals(pristine(0, (SECTORS - 1) * 512), Arrays.copyOf(file, (SECTORS - 1) * 512));
    }

    @Test
    void aReadOnlyDiskRefusesWritesWithIoErrAndSaysSo() throws IOException {
        boot(DiskImage.Mode.READ_ONLY, MmioMode.MODERN);
        assertTrue(FeatureBits.has(driver.deviceFeatures(), VirtioBlk.F_RO));
        Req w = write(0, new byte[512]);
        Req r = read(0, 512);
        driver.notify(0);
        assertEquals(VirtioBlk.S_IOERR, status(w));
        assertEquals(VirtioBlk.S_OK, status(r));
        assertArrayEquals(pristine(0, 512), data(r));
        assertEquals(1, blk.counters().ioErrors());
        assertTrue(errors.isEmpty(), () -> "a refused write does not break the device: " + errors);
    }

    @Test
    void outOfRangeAndBadLengthsFailWithIoErrAndTheDeviceCarriesOn() throws IOException {
        boot(DiskImage.Mode.COPY_ON_WRITE, MmioMode.MODERN);
        Req pastEnd = read(SECTORS, 512);
        Req straddling = read(SECTORS - 1, 1024);
        Req huge = read(Long.MIN_VALUE + 3, 512);
        Req wrap = read(-1L, 512);
        Req partial = read(0, 300);
        Req partialWrite = write(0, new byte[100]);
        Req lastSector = read(SECTORS - 1, 512);
        driver.notify(0);
        for (Req r : List.of(pastEnd, straddling, huge, wrap, partial, partialWrite)) {
            assertEquals(VirtioBlk.S_IOERR, status(r), "request " + r.head());
        }
        assertEquals(VirtioBlk.S_OK, status(lastSector));
        assertArrayEquals(pristine(SECTORS - 1, 512), data(lastSector));
        assertEquals(1L, used().get(pastEnd.head()), "a failed read writes only its status");
        assertEquals(6, blk.counters().ioErrors());
        assertTrue(errors.isEmpty(), () -> "bad requests do not break the device: " + errors);
        assertArrayEquals(pristine, Files.readAllBytes(imageFile));
    }

    @Test
    void unknownTypesAreUnsupportedAndGetIdAnswersTheSerial() throws IOException {
        boot(DiskImage.Mode.COPY_ON_WRITE, MmioMode.MODERN);
        Req discard = post(List.of(header(11, 0), new byte[16]), 1);
        Req odd = post(List.of(header(0x77, 0)), 1);
        Req id = post(List.of(header(VirtioBlk.T_GET_ID, 0)), 20, 1);
        driver.notify(0);
        assertEquals(VirtioBlk.S_UNSUPP, status(discard));
        assertEquals(VirtioBlk.S_UNSUPP, status(odd));
        assertEquals(VirtioBlk.S_OK, status(id));
        assertArrayEquals(Arrays.copyOf("disk0-serial".getBytes(StandardCharsets.US_ASCII), 20), data(id));
        assertEquals(21L, used().get(id.head()));
        assertEquals(2, blk.counters().unsupported());
    }

    @Test
    void theDriverMaySplitHeaderDataAndStatusAnywhere() throws IOException {
        boot(DiskImage.Mode.COPY_ON_WRITE, MmioMode.MODERN);
        byte[] data = new byte[1024];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (255 - i);
        }
        byte[] h = header(VirtioBlk.T_OUT, 9);
        // Header split 5 + 11 + first 100 data bytes in the same buffer, the rest after.
        byte[] second = new byte[11 + 100];
        System.arraycopy(h, 5, second, 0, 11);
        System.arraycopy(data, 0, second, 11, 100);
        Req w = post(List.of(Arrays.copyOf(h, 5), second, Arrays.copyOfRange(data, 100, 1024)), 1);
        // A read whose last data bytes share the status byte's buffer.
        Req r = post(List.of(header(VirtioBlk.T_IN, 9)), 1000, 25);
        driver.notify(0);
        assertEquals(VirtioBlk.S_OK, status(w));
        assertEquals(VirtioBlk.S_OK, status(r));
        assertArrayEquals(data, data(r));
    }

    @Test
    void aRequestWithoutStatusByteOrHeaderBreaksOnlyThisDevice() throws IOException {
        boot(DiskImage.Mode.COPY_ON_WRITE, MmioMode.MODERN);
        Req good = read(0, 512);
        post(List.of(header(VirtioBlk.T_IN, 0), new byte[512])); // nothing writable
        driver.notify(0);
        assertEquals(VirtioBlk.S_OK, status(good), "the request before the bad one is answered");
        assertEquals(1, used().size());
        assertEquals(1, errors.size());
        assertEquals(VirtqueueError.Reason.MALFORMED_REQUEST, errors.getFirst().reason());
        assertEquals(FakeDriver.NEEDS_RESET, driver.status() & FakeDriver.NEEDS_RESET);

        // After a reset the device works again; a short header breaks it the same way.
        errors.clear();
        driver.negotiate(-1L);
        q = driver.setupQueue(VirtioBlk.REQUESTQ, 128);
        nextDesc = 0;
        lastUsed = 0;
        driver.driverOk();
        Req again = read(1, 512);
        driver.notify(0);
        assertEquals(VirtioBlk.S_OK, status(again));
        assertArrayEquals(pristine(1, 512), data(again));
        post(List.of(new byte[8]), 1);
        driver.notify(0);
        assertEquals(VirtqueueError.Reason.MALFORMED_REQUEST, errors.getFirst().reason());
    }

    @Test
    void aChainOutsideRamBreaksTheDeviceThroughTheQueueRules() throws IOException {
        boot(DiskImage.Mode.COPY_ON_WRITE, MmioMode.MODERN);
        int head = nextDesc;
        q.setDesc(head, ram.end() - 8, 16, DriverQueue.NEXT, head + 1);
        q.setDesc(head + 1, ram.alloc(1, 1), 1, DriverQueue.WRITE, 0);
        q.publish(head);
        driver.notify(0);
        assertEquals(1, errors.size());
        assertEquals(VirtqueueError.Reason.OUTSIDE_RAM, errors.getFirst().reason());
        assertEquals(FakeDriver.NEEDS_RESET, driver.status() & FakeDriver.NEEDS_RESET);
    }

    @Test
    void indirectChainsAndBatchesGetOneInterruptPerNotification() throws IOException {
        boot(DiskImage.Mode.COPY_ON_WRITE, MmioMode.MODERN);
        int head = q.addIndirect(List.of(header(VirtioBlk.T_IN, 2)), 512, 1);
        nextDesc = head + 1; // the indirect chain took main-table descriptor 0
        Req a = read(4, 512);
        Req b = read(5, 512);
        driver.notify(0);
        assertEquals(1, interrupts);
        assertEquals(3, used().size());
        assertArrayEquals(pristine(4, 512), data(a));
        assertArrayEquals(pristine(5, 512), data(b));
        assertEquals(3, blk.counters().reads());
        DriverQueue.Used indirect = q.takeUsed().stream().filter(u -> u.id() == head).findFirst().orElseThrow();
        assertEquals(513, indirect.len());
        assertArrayEquals(pristine(2, 512), Arrays.copyOf(indirect.data(), 512));
        assertEquals(VirtioBlk.S_OK, indirect.data()[512]);
    }

    @Test
    void aDiskInMemoryServesReadsAndKeepsItsArray() throws IOException {
        byte[] image = new byte[8 * 512 + 100]; // a partial last sector is not offered
        Arrays.fill(image, (byte) 3);
        byte[] copy = image.clone();
        attach(DiskImage.of("from-server", image, DiskImage.Mode.COPY_ON_WRITE), MmioMode.MODERN);
        assertEquals(8, driver.config(0, 4));
        Req w = write(0, new byte[512]);
        Req r = read(0, 1024);
        Req past = read(8, 512);
        driver.notify(0);
        assertEquals(VirtioBlk.S_OK, status(w));
        byte[] expected = new byte[1024];
        Arrays.fill(expected, 512, 1024, (byte) 3);
        assertArrayEquals(expected, data(r));
        assertEquals(VirtioBlk.S_IOERR, status(past));
        assertArrayEquals(copy, image);
    }
}
