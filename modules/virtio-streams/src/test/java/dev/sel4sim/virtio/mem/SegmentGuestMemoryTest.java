package dev.sel4sim.virtio.mem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SegmentGuestMemoryTest {
    private static final long BASE = 0x4000_0000L;
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment ram = arena.allocate(0x1000, 4096);
    private final GuestMemory mem = SegmentGuestMemory.of(BASE, ram);

    @AfterEach
    void close() {
        arena.close();
    }

    @Test
    void valuesAreLittleEndianAtTheirGuestPhysicalAddress() {
        mem.writeU64(BASE + 0x11, 0x0807060504030201L);
        for (int i = 0; i < 8; i++) {
            assertEquals(i + 1, ram.get(ValueLayout.JAVA_BYTE, 0x11 + i));
        }
        assertEquals(0x0201, mem.readU16(BASE + 0x11));
        assertEquals(0x05040302L, mem.readU32(BASE + 0x12));
        mem.writeU32(BASE + 0x20, 0xfedcba98L);
        assertEquals(0xfedcba98L, mem.readU32(BASE + 0x20), "u32 reads back unsigned");
        mem.writeU16(BASE + 0x30, 0xbeef);
        assertEquals(0xbeef, mem.readU16(BASE + 0x30));
        mem.writeU8(BASE + 0x40, 0x1ff);
        assertEquals(0xff, mem.readU8(BASE + 0x40));
    }

    @Test
    void accessesOutsideRamAreRefusedWithTheAddress() {
        GuestMemoryException below = assertThrows(GuestMemoryException.class, () -> mem.readU32(BASE - 4));
        assertEquals(BASE - 4, below.gpa());
        assertTrue(below.getMessage().contains("0x3ffffffc"), below.getMessage());
        assertThrows(GuestMemoryException.class, () -> mem.readU64(BASE + 0xffc), "straddles the end");
        assertThrows(GuestMemoryException.class, () -> mem.writeU8(BASE + 0x1000, 1));
        assertThrows(GuestMemoryException.class, () -> mem.slice(BASE, -1));
        assertThrows(GuestMemoryException.class, () -> mem.slice(Long.MAX_VALUE, 16), "no wrap-around");
        assertTrue(mem.contains(BASE + 0xff8, 8));
        assertFalse(mem.contains(BASE + 0xff9, 8));
    }

    @Test
    void sliceIsTheGuestMemoryItself() {
        MemorySegment s = mem.slice(BASE + 0x100, 16);
        s.set(ValueLayout.JAVA_BYTE, 3, (byte) 0x5a);
        assertEquals(0x5a, ram.get(ValueLayout.JAVA_BYTE, 0x103));
        assertEquals(16, s.byteSize());
    }

    @Test
    void bulkCopiesInBothDirections() {
        mem.write(BASE + 0x200, new byte[] {1, 2, 3, 4, 5});
        assertArrayEquals(new byte[] {2, 3, 4}, mem.read(BASE + 0x201, 3));

        ByteBuffer src = ByteBuffer.wrap(new byte[] {9, 8, 7, 6});
        src.position(1);
        mem.write(BASE + 0x300, src);
        assertEquals(4, src.position());
        ByteBuffer dst = ByteBuffer.allocate(5);
        dst.position(2);
        mem.read(BASE + 0x300, dst);
        assertEquals(5, dst.position());
        assertArrayEquals(new byte[] {0, 0, 8, 7, 6}, dst.array());
        assertThrows(GuestMemoryException.class, () -> mem.write(BASE + 0xffe, new byte[3]));
    }

    @Test
    void severalRegionsAndTheGapBetweenThem() {
        MemorySegment high = arena.allocate(0x1000, 4096);
        GuestMemory two = new SegmentGuestMemory(List.of(new GuestRegion(BASE + 0x10000, high), new GuestRegion(BASE, ram)));
        two.writeU32(BASE + 0x10000, 0x11223344L);
        assertEquals(0x11223344, high.get(ValueLayout.JAVA_INT_UNALIGNED, 0));
        two.writeU32(BASE, 7);
        assertEquals(7, two.readU32(BASE));
        assertThrows(GuestMemoryException.class, () -> two.readU32(BASE + 0x2000), "gap between regions");
        assertThrows(IllegalArgumentException.class,
                () -> new SegmentGuestMemory(List.of(new GuestRegion(BASE, ram), new GuestRegion(BASE + 0x800, high))));
    }

    @Test
    void adjacentRegionsDoNotFormOneAccess() {
        MemorySegment next = arena.allocate(0x1000, 4096);
        GuestMemory two = new SegmentGuestMemory(List.of(new GuestRegion(BASE, ram), new GuestRegion(BASE + 0x1000, next)));
        assertThrows(GuestMemoryException.class, () -> two.readU32(BASE + 0xffe));
        assertEquals(0, two.readU32(BASE + 0x1000));
    }
}
