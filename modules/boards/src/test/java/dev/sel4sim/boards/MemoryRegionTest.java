package dev.sel4sim.boards;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemoryRegionTest {

    private final MemoryRegion ram = new MemoryRegion(0x4000_0000L, 1L << 30);

    @Test
    void endIsExclusive() {
        assertEquals(0x8000_0000L, ram.end());
        assertEquals(0x7fff_ffffL, ram.last());
        assertTrue(ram.contains(0x4000_0000L));
        assertTrue(ram.contains(0x7fff_ffffL));
        assertFalse(ram.contains(0x8000_0000L));
    }

    @Test
    void overlapIsSymmetricAndAdjacentRegionsDoNotOverlap() {
        MemoryRegion next = new MemoryRegion(0x8000_0000L, 0x1000);
        MemoryRegion straddling = new MemoryRegion(0x7fff_f000L, 0x2000);
        MemoryRegion inside = new MemoryRegion(0x5000_0000L, 0x1000);
        assertFalse(ram.overlaps(next));
        assertFalse(next.overlaps(ram));
        assertTrue(ram.overlaps(straddling));
        assertTrue(straddling.overlaps(ram));
        assertTrue(ram.overlaps(inside));
        assertTrue(ram.contains(inside));
        assertFalse(ram.contains(straddling));
    }

    @Test
    void rejectsEmptyNegativeAndWrapping() {
        assertThrows(IllegalArgumentException.class, () -> new MemoryRegion(0, 0));
        assertThrows(IllegalArgumentException.class, () -> new MemoryRegion(-1, 1));
        assertThrows(ArithmeticException.class, () -> new MemoryRegion(Long.MAX_VALUE, 2));
    }
}
