package dev.sel4sim.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class VmCountersTest {
    @Test
    void sumsEveryVcpuOfAStatsLine() {
        String stats = "vcpu0 1,003,730,807 instructions, 2,950 exits, 976 IRQs, 37,319 timer/MPIDR accesses, 3 WFE/YIELD yields, "
                + "pc 0xffff800008baf4fc pstate 0x400000c5 (in WFI); vcpu1 1.000 instructions, 50 exits, 24 IRQs, 7 timer/MPIDR accesses, "
                + "2 WFE/YIELD yields, pc 0x0 pstate 0x3c5 (off)";
        assertEquals(new VmCounters(1_003_731_807L, 3_000, 1_000, 5), VmCounters.parse(stats));
    }

    @Test
    void differenceIsPerCounter() {
        VmCounters later = new VmCounters(500, 40, 30, 20);
        assertEquals(new VmCounters(400, 30, 20, 10), later.minus(new VmCounters(100, 10, 10, 10)));
    }

    @Test
    void refusesALineWithoutVcpus() {
        assertThrows(IllegalArgumentException.class, () -> VmCounters.parse("VMM error: broken"));
    }
}
