package dev.sel4sim.system;

import static org.junit.jupiter.api.Assertions.*;

import dev.sel4sim.boards.MemoryRegion;
import dev.sel4sim.system.assembly.UntypedLayout;
import dev.sel4sim.system.config.ReservedSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class UntypedLayoutTest {
    @Test
    void freeRamIsCutIntoAlignedPowerOfTwoBlocks() {
        var blocks = UntypedLayout.compute(List.of(new MemoryRegion(0x4000_0000L, 1L << 30)), 4L << 20, List.of());
        long total = blocks.stream().mapToLong(UntypedLayout.Block::size).sum();
        assertEquals((1L << 30) - (4L << 20), total);
        for (var b : blocks) {
            assertEquals(0, b.paddr() % b.size(), b + " is naturally aligned");
        }
        assertEquals(29, blocks.stream().mapToInt(UntypedLayout.Block::sizeBits).max().orElseThrow(), "512 MiB at 0x60000000");
    }

    @Test
    void aCarveOutLimitsTheLargestBlock() {
        var blocks = UntypedLayout.compute(List.of(new MemoryRegion(0x4000_0000L, 1L << 30)), 4L << 20,
                List.of(new ReservedSpec("fw", 0x7000_0000L, 1L << 20, 1)));
        assertEquals(28, blocks.stream().mapToInt(UntypedLayout.Block::sizeBits).max().orElseThrow());
        assertTrue(blocks.stream().noneMatch(b -> b.paddr() < 0x7010_0000L && b.paddr() + b.size() > 0x7000_0000L), "nothing overlaps the carve-out");
    }
}
