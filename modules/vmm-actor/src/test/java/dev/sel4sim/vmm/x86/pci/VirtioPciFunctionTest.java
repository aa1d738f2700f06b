package dev.sel4sim.vmm.x86.pci;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.sel4sim.virtio.device.DeviceContext;
import dev.sel4sim.virtio.device.VirtioDevice;
import dev.sel4sim.virtio.mem.SegmentGuestMemory;
import dev.sel4sim.virtio.queue.ChainIo;
import dev.sel4sim.virtio.queue.DescriptorChain;
import dev.sel4sim.virtio.queue.SplitVirtqueue;
import dev.sel4sim.virtio.queue.VirtqueueError;
import dev.sel4sim.vmm.x86.dev.IoPortBus;

/**
 * Virtio-pci functions on bus 0 as a guest's PCI code and legacy virtio driver meet them: only through
 * IN and OUT on the configuration ports (0xCF8/0xCFC) and on the I/O window the guest gives BAR0.
 */
class VirtioPciFunctionTest {
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final long RAM_BASE = 0x10_0000;
    private static final int QUEUE_SIZE = 8;
    // Legacy register offsets in BAR0, written out here as a driver has them.
    private static final int HOST_FEATURES = 0;
    private static final int GUEST_FEATURES = 4;
    private static final int QUEUE_PFN = 8;
    private static final int QUEUE_NUM = 12;
    private static final int QUEUE_SEL = 14;
    private static final int QUEUE_NOTIFY = 16;
    private static final int STATUS = 18;
    private static final int ISR = 19;
    private static final int CONFIG = 20;

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment ram = arena.allocate(1 << 20, 4096);
    private final SegmentGuestMemory memory = SegmentGuestMemory.of(RAM_BASE, ram);
    private final PciBus bus = PciHostBridge.busWithHostBridge();
    private final IoPortBus ports = new IoPortBus();
    private final List<Boolean> netLine = new ArrayList<>();
    private final List<Boolean> consoleLine = new ArrayList<>();
    private final List<VirtqueueError> netErrors = new ArrayList<>();
    private final List<VirtqueueError> consoleErrors = new ArrayList<>();
    private final VirtioPciFunction net = new VirtioPciFunction(new EchoDevice(1, 10), memory, netLine::add, netErrors::add);
    private final VirtioPciFunction console = new VirtioPciFunction(new EchoDevice(3, 12), memory, consoleLine::add,
            consoleErrors::add);
    private long nextFree = RAM_BASE;

    VirtioPciFunctionTest() {
        bus.attach(3, 0, net);
        bus.attach(4, 0, console);
        ports.register(PciConfigPorts.ADDRESS, 8, new PciConfigPorts(bus, () -> { }), "PCI configuration");
        ports.register(PciIoAperture.FIRST_PORT, PciIoAperture.PORT_COUNT, new PciIoAperture(bus), "PCI I/O");
    }

    @AfterEach
    void close() {
        arena.close();
    }

    // ---- the guest's PCI configuration accesses, mechanism #1

    private int cfgRead(int device, int offset, int size) {
        ports.write(PciConfigPorts.ADDRESS, 4, 0x8000_0000 | device << 11 | (offset & 0xfc));
        return ports.read(PciConfigPorts.DATA + (offset & 3), size);
    }

    private void cfgWrite(int device, int offset, int size, int value) {
        ports.write(PciConfigPorts.ADDRESS, 4, 0x8000_0000 | device << 11 | (offset & 0xfc));
        ports.write(PciConfigPorts.DATA + (offset & 3), size, value);
    }

    /** Sizes BAR0 as Linux does (all ones, read back, restore) and returns the size. */
    private int sizeBar0(int device) {
        int old = cfgRead(device, PciConfigSpace.BAR0, 4);
        cfgWrite(device, PciConfigSpace.BAR0, 4, -1);
        int probe = cfgRead(device, PciConfigSpace.BAR0, 4);
        cfgWrite(device, PciConfigSpace.BAR0, 4, old);
        assertEquals(1, probe & 1, "an I/O BAR");
        return (~(probe & ~3) + 1) & 0xffff;
    }

    private void assignAndEnable(int device, int ioBase, int irq) {
        cfgWrite(device, PciConfigSpace.BAR0, 4, ioBase);
        cfgWrite(device, PciConfigSpace.INTERRUPT_LINE, 1, irq);
        cfgWrite(device, PciConfigSpace.COMMAND, 2, cfgRead(device, PciConfigSpace.COMMAND, 2)
                | PciConfigSpace.COMMAND_IO | PciConfigSpace.COMMAND_BUS_MASTER);
    }

    // ---- the legacy driver's rings in guest RAM

    private long alloc(long bytes, long align) {
        long at = (nextFree + align - 1) / align * align;
        nextFree = at + bytes;
        return at;
    }

    private record Rings(long desc, long avail, long used) {
    }

    private Rings legacyRings() {
        long desc = alloc(2 * 4096, 4096);
        long avail = desc + 16L * QUEUE_SIZE;
        long used = (avail + 6 + 2L * QUEUE_SIZE + 4095) / 4096 * 4096;
        return new Rings(desc, avail, used);
    }

    /** Posts one chain: a readable buffer with {@code data}, then a writable one of {@code room} bytes. */
    private long post(Rings r, int slot, byte[] data, int room) {
        long out = alloc(data.length, 8);
        MemorySegment.copy(data, 0, ram, ValueLayout.JAVA_BYTE, out - RAM_BASE, data.length);
        long in = alloc(room, 8);
        putDesc(r, 2 * slot, out, data.length, 1, 2 * slot + 1);
        putDesc(r, 2 * slot + 1, in, room, 2, 0);
        int idx = Short.toUnsignedInt(ram.get(U16, r.avail() + 2 - RAM_BASE));
        ram.set(U16, r.avail() + 4 + 2L * (idx % QUEUE_SIZE) - RAM_BASE, (short) (2 * slot));
        ram.set(U16, r.avail() + 2 - RAM_BASE, (short) (idx + 1));
        return in;
    }

    private void putDesc(Rings r, int i, long addr, int len, int flags, int next) {
        long at = r.desc() + 16L * i - RAM_BASE;
        ram.set(U64, at, addr);
        ram.set(U32, at + 8, len);
        ram.set(U16, at + 12, (short) flags);
        ram.set(U16, at + 14, (short) next);
    }

    private int usedIdx(Rings r) {
        return Short.toUnsignedInt(ram.get(U16, r.used() + 2 - RAM_BASE));
    }

    private byte[] bytes(long gpa, int n) {
        byte[] b = new byte[n];
        MemorySegment.copy(ram, ValueLayout.JAVA_BYTE, gpa - RAM_BASE, b, 0, n);
        return b;
    }

    // ---- tests

    @Test
    void scanFindsTransitionalVirtioFunctionsWithTheirIdentity() {
        List<Integer> found = new ArrayList<>();
        for (int device = 0; device < 32; device++) {
            if ((cfgRead(device, PciConfigSpace.VENDOR_ID, 2)) == VirtioPciFunction.VENDOR_VIRTIO) {
                found.add(device);
            }
        }
        assertEquals(List.of(3, 4), found);
        assertEquals(0x1000_1af4, cfgRead(3, 0, 4), "net: 1AF4:1000");
        assertEquals(0x1003, cfgRead(4, PciConfigSpace.DEVICE_ID, 2), "console");
        assertEquals(0x0200_0000, cfgRead(3, PciConfigSpace.REVISION, 4), "class 02/00/00, revision 0");
        assertEquals(0x0780_0000, cfgRead(4, PciConfigSpace.REVISION, 4), "class 07/80/00, revision 0");
        assertEquals(0x0001_1af4, cfgRead(3, PciConfigSpace.SUBSYSTEM_VENDOR_ID, 4), "subsystem = virtio ID 1");
        assertEquals(3, cfgRead(4, PciConfigSpace.SUBSYSTEM_ID, 2));
        assertEquals(1, cfgRead(3, PciConfigSpace.INTERRUPT_PIN, 1), "INTA");
        assertEquals(0, cfgRead(3, PciConfigSpace.HEADER_TYPE, 1));
        assertEquals(0, cfgRead(3, PciConfigSpace.STATUS, 2) & 0x10, "no capabilities: no MSI-X, no modern layout");
    }

    @Test
    void bar0IsAnIoWindowCoveringRegistersAndConfig() {
        assertEquals(32, sizeBar0(3), "20 bytes of registers + 10 of net config");
        assertEquals(32, sizeBar0(4), "20 + 12 of console config");
        VirtioPciFunction block = new VirtioPciFunction(new EchoDevice(2, 60), memory, level -> { }, e -> { });
        assertEquals(128, block.barSize());
        assertThrows(IllegalArgumentException.class,
                () -> new VirtioPciFunction(new EchoDevice(42, 4), memory, level -> { }, e -> { }));
    }

    @Test
    void registersAppearOnlyWhereTheGuestPutsBar0AndOnlyWithIoDecodeOn() {
        long expectedFeatures = (1L << 5) | (1L << 28) | (1L << 29); // the device's bit, INDIRECT_DESC, EVENT_IDX
        cfgWrite(3, PciConfigSpace.BAR0, 4, 0xc000);
        assertEquals(-1, ports.read(0xc000 + HOST_FEATURES, 4), "I/O decode still off");

        assignAndEnable(3, 0xc000, 10);
        assertEquals(expectedFeatures, Integer.toUnsignedLong(ports.read(0xc000 + HOST_FEATURES, 4)));
        assertEquals(10, cfgRead(3, PciConfigSpace.INTERRUPT_LINE, 1));
        assertEquals(0xee, ports.read(0xc000 + CONFIG, 1), "net config: first MAC byte");

        cfgWrite(3, PciConfigSpace.BAR0, 4, 0xd020);
        assertEquals(-1, ports.read(0xc000 + HOST_FEATURES, 4), "the old window is gone");
        assertEquals(expectedFeatures, Integer.toUnsignedLong(ports.read(0xd020 + HOST_FEATURES, 4)));
        assertEquals(0xffff, ports.read(0xd020 + 32, 2), "past BAR0's 32 bytes nothing answers");

        cfgWrite(3, PciConfigSpace.COMMAND, 2, 0);
        assertEquals(-1, ports.read(0xd020 + HOST_FEATURES, 4), "decode off again");
    }

    @Test
    void firmwareStyleAssignmentIsWhatTheGuestReads() {
        net.assign(0xc040, 11);
        assertEquals(0xc041, cfgRead(3, PciConfigSpace.BAR0, 4));
        assertEquals(11, cfgRead(3, PciConfigSpace.INTERRUPT_LINE, 1));
        assertTrue((cfgRead(3, PciConfigSpace.COMMAND, 2) & PciConfigSpace.COMMAND_IO) != 0);
        assertEquals(8, ports.read(0xc040 + QUEUE_NUM, 2), "queue 0 size through the window");
        assertThrows(IllegalArgumentException.class, () -> net.assign(0xc010, 11), "not aligned to 32");
        assertThrows(IllegalArgumentException.class, () -> net.assign(0xc000, 16));
    }

    @Test
    void aLegacyDriverDrivesAQueueAndTheLevelInterruptThroughTheWindow() {
        assignAndEnable(4, 0xc000, 10);
        int base = 0xc000;
        ports.write(base + STATUS, 1, 0);
        ports.write(base + STATUS, 1, 1 | 2);
        int host = ports.read(base + HOST_FEATURES, 4);
        ports.write(base + GUEST_FEATURES, 4, host & ~(1 << 29)); // no EVENT_IDX: interrupt on every buffer
        ports.write(base + QUEUE_SEL, 2, 1);
        assertEquals(QUEUE_SIZE, ports.read(base + QUEUE_NUM, 2));
        Rings rings = legacyRings();
        ports.write(base + QUEUE_PFN, 4, (int) (rings.desc() / 4096));
        assertEquals(rings.desc() / 4096, ports.read(base + QUEUE_PFN, 4));
        ports.write(base + STATUS, 1, 1 | 2 | 4);

        long in = post(rings, 0, "hello".getBytes(StandardCharsets.US_ASCII), 16);
        ports.write(base + QUEUE_NOTIFY, 2, 1);
        assertEquals(1, usedIdx(rings));
        assertArrayEquals("hello".getBytes(StandardCharsets.US_ASCII), bytes(in, 5));
        assertEquals(List.of(true), consoleLine);
        assertTrue(console.interruptLevel());
        assertEquals(0x08, cfgRead(4, PciConfigSpace.STATUS, 2) & 0x08, "PCI status: interrupt pending");

        assertEquals(1, ports.read(base + ISR, 1), "used-buffer interrupt");
        assertEquals(List.of(true, false), consoleLine, "the ISR read dropped the line");
        assertEquals(0, cfgRead(4, PciConfigSpace.STATUS, 2) & 0x08);
        assertEquals(0, ports.read(base + ISR, 1));
        assertTrue(netLine.isEmpty(), "the other function's line never moved");

        // INTx Disable holds the line low while the request stays visible in the PCI status.
        cfgWrite(4, PciConfigSpace.COMMAND, 2, cfgRead(4, PciConfigSpace.COMMAND, 2) | PciConfigSpace.COMMAND_INTX_DISABLE);
        post(rings, 1, "again".getBytes(StandardCharsets.US_ASCII), 16);
        ports.write(base + QUEUE_NOTIFY, 2, 1);
        assertEquals(2, usedIdx(rings));
        assertEquals(List.of(true, false), consoleLine);
        assertEquals(0x08, cfgRead(4, PciConfigSpace.STATUS, 2) & 0x08);
        cfgWrite(4, PciConfigSpace.COMMAND, 2, cfgRead(4, PciConfigSpace.COMMAND, 2) & ~PciConfigSpace.COMMAND_INTX_DISABLE);
        assertEquals(List.of(true, false, true), consoleLine, "enabling INTx again shows the pending request");
        assertEquals(1, ports.read(base + ISR, 1));
        assertFalse(console.interruptLevel());

        ports.write(base + STATUS, 1, 0);
        assertEquals(0, ports.read(base + QUEUE_PFN, 4), "reset forgets the queue");
        assertTrue(consoleErrors.isEmpty());
    }

    @Test
    void aBadQueuePfnBreaksOnlyItsFunction() {
        assignAndEnable(3, 0xc000, 10);
        assignAndEnable(4, 0xc020, 11);
        ports.write(0xc000 + STATUS, 1, 1 | 2);
        ports.write(0xc000 + QUEUE_SEL, 2, 0);
        ports.write(0xc000 + QUEUE_PFN, 4, 0x7_0000); // 1.75 GiB: no RAM there
        assertEquals(0x40, ports.read(0xc000 + STATUS, 1) & 0x40, "DEVICE_NEEDS_RESET");
        assertEquals(List.of(true), netLine);
        assertEquals(2, ports.read(0xc000 + ISR, 1), "configuration interrupt");
        assertEquals(1, netErrors.size());
        assertEquals(VirtqueueError.Reason.BAD_QUEUE_CONFIG, netErrors.get(0).reason());

        int base = 0xc020;
        ports.write(base + STATUS, 1, 1 | 2);
        ports.write(base + QUEUE_SEL, 2, 0);
        Rings rings = legacyRings();
        ports.write(base + QUEUE_PFN, 4, (int) (rings.desc() / 4096));
        ports.write(base + STATUS, 1, 1 | 2 | 4);
        long in = post(rings, 0, "ok".getBytes(StandardCharsets.US_ASCII), 4);
        ports.write(base + QUEUE_NOTIFY, 2, 0);
        assertArrayEquals("ok".getBytes(StandardCharsets.US_ASCII), bytes(in, 2));
        assertEquals(0, ports.read(base + STATUS, 1) & 0x40);
        assertTrue(consoleErrors.isEmpty());
    }

    /** A device of a given virtio type that copies each chain's readable bytes into its writable ones. */
    private static final class EchoDevice implements VirtioDevice {
        private final int id;
        private final byte[] config;
        private DeviceContext context;

        EchoDevice(int id, int configBytes) {
            this.id = id;
            this.config = new byte[configBytes];
            config[0] = (byte) 0xee;
        }

        @Override
        public int deviceId() {
            return id;
        }

        @Override
        public long deviceFeatures() {
            return 1L << 5;
        }

        @Override
        public int queueCount() {
            return 2;
        }

        @Override
        public int queueMaxSize(int index) {
            return QUEUE_SIZE;
        }

        @Override
        public byte[] configSpace() {
            return config.clone();
        }

        @Override
        public void attach(DeviceContext context) {
            this.context = context;
        }

        @Override
        public void activate() {
            queueNotify(0);
            queueNotify(1);
        }

        @Override
        public void queueNotify(int index) {
            SplitVirtqueue q = context.queue(index).orElse(null);
            if (q == null) {
                return;
            }
            boolean any = false;
            for (DescriptorChain c = q.pop().orElse(null); c != null; c = q.pop().orElse(null)) {
                byte[] data = ChainIo.gather(context.memory(), c);
                q.pushUsed(c.head(), ChainIo.scatter(context.memory(), c, java.nio.ByteBuffer.wrap(data)));
                any = true;
            }
            if (any) {
                context.usedBuffers(index);
            }
        }

        @Override
        public void reset() {
        }
    }
}
