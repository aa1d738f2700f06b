package dev.sel4sim.vmm.arm.psci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sel4sim.vmm.arm.CpuTopology;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** PSCI 1.0 (DEN0022) and SMCCC 1.1 (DEN0028) answers, with function IDs and codes from those specs. */
class PsciHandlerTest {

    // Two clusters of two: MPIDR affinities 0x000, 0x001, 0x100, 0x101
    private final CpuTopology topology = CpuTopology.linear(4, 2);
    private final PsciHandler psci = new PsciHandler(topology);
    private final Map<Integer, PowerState> power = new java.util.HashMap<>(
            Map.of(0, PowerState.ON, 1, PowerState.OFF, 2, PowerState.ON_PENDING, 3, PowerState.OFF));

    private PsciResult call(int fid, long x1, long x2, long x3) {
        return psci.handle(fid, x1, x2, x3, power::get);
    }

    private long x0(int fid, long x1, long x2) {
        return call(fid, x1, x2, 0).x0();
    }

    @Test
    void versions() {
        assertEquals(0x0001_0000L, x0(0x8400_0000, 0, 0), "PSCI 1.0");
        assertEquals(0x0001_0001L, x0(0x8000_0000, 0, 0), "SMCCC 1.1");
        assertEquals(2, x0(0x8400_0006, 0, 0), "MIGRATE_INFO_TYPE: no Trusted OS");
    }

    @Test
    void cpuOnStartsAnOffVcpu() {
        PsciResult r = call(0xC400_0003, 0x001, 0x4008_0000L, 0x1234);
        assertEquals(0, r.x0());
        assertEquals(new PsciAction.CpuOn(1, 0x4008_0000L, 0x1234), r.action());
        r = call(0xC400_0003, 0x101, 0x8_4008_0000L, -1);
        assertEquals(new PsciAction.CpuOn(3, 0x8_4008_0000L, -1), r.action(), "SMC64 keeps 64-bit arguments");
    }

    @Test
    void cpuOnSmc32UsesTheLow32BitsOfEachArgument() {
        PsciResult r = call(0x8400_0003, 0xFFFF_FFFF_0000_0001L, 0xFFFF_FFFF_4008_0000L, 0x1_0000_0007L);
        assertEquals(new PsciAction.CpuOn(1, 0x4008_0000L, 7), r.action());
    }

    @Test
    void cpuOnErrors() {
        assertEquals(-4, x0(0xC400_0003, 0x000, 0), "ALREADY_ON");
        assertEquals(-5, x0(0xC400_0003, 0x100, 0), "ON_PENDING");
        assertEquals(-2, x0(0xC400_0003, 0x002, 0), "INVALID_PARAMETERS: no such MPIDR");
        assertEquals(-2, x0(0xC400_0003, 0x8000_0001L, 0), "bits [31:24] must be zero");
        assertEquals(PsciAction.NONE, call(0xC400_0003, 0x000, 0, 0).action());
    }

    @Test
    void affinityInfo() {
        assertEquals(0, x0(0xC400_0004, 0x000, 0), "ON");
        assertEquals(1, x0(0xC400_0004, 0x001, 0), "OFF");
        assertEquals(2, x0(0xC400_0004, 0x100, 0), "ON_PENDING");
        assertEquals(-2, x0(0xC400_0004, 0x200, 0), "unknown affinity");
        assertEquals(0, x0(0x8400_0004, 0x001, 1), "cluster 0 has a CPU on");
        assertEquals(2, x0(0x8400_0004, 0x100, 1), "cluster 1: one starting, one off");
        assertEquals(-2, x0(0x8400_0004, 0, 4), "no affinity level 4");
    }

    @Test
    void powerActions() {
        assertEquals(new PsciResult(0, new PsciAction.Wfi()), call(0xC400_0001, 0, 0x4000_0000L, 0));
        assertEquals(new PsciResult(0, new PsciAction.Wfi()), call(0x8400_0001, 0, 0, 0));
        assertInstanceOf(PsciAction.CpuOff.class, call(0x8400_0002, 0, 0, 0).action());
        assertEquals(-3, x0(0x8400_0002, 0, 0), "DENIED if the VCPU comes back");
        assertInstanceOf(PsciAction.SystemOff.class, call(0x8400_0008, 0, 0, 0).action());
        assertInstanceOf(PsciAction.SystemReset.class, call(0x8400_0009, 0, 0, 0).action());
    }

    @Test
    void psciFeatures() {
        int[] implemented = {0x8400_0000, 0x8400_0001, 0xC400_0001, 0x8400_0002, 0x8400_0003, 0xC400_0003,
                0x8400_0004, 0xC400_0004, 0x8400_0006, 0x8400_0008, 0x8400_0009, 0x8400_000A, 0x8000_0000};
        for (int fid : implemented) {
            assertEquals(0, x0(0x8400_000A, fid & 0xFFFF_FFFFL, 0), Integer.toHexString(fid));
        }
        int[] missing = {0x8400_0005, 0xC400_0005, 0x8400_0007, 0x8400_000E, 0xC400_000E, 0x8400_0012,
                0x8000_0001, 0xC400_0000, 0x1234_5678};
        for (int fid : missing) {
            assertEquals(-1, x0(0x8400_000A, fid & 0xFFFF_FFFFL, 0), Integer.toHexString(fid));
        }
    }

    @Test
    void unknownAndUnimplementedFunctions() {
        assertEquals(-1L, x0(0x8400_0005, 0, 0), "MIGRATE");
        assertEquals(-1L, x0(0x8400_000E, 0, 0), "SYSTEM_SUSPEND");
        PsciResult r = call(0x8400_00FF, 0, 0, 0);
        assertEquals(0xFFFF_FFFF_FFFF_FFFFL, r.x0(), "-1 sign-extended");
        assertEquals(PsciAction.NONE, r.action());
    }

    @Test
    void archWorkaroundsAreOffUnlessConfigured() {
        assertEquals(-1, x0(0x8000_0001, 0x8000_8000L, 0), "ARCH_WORKAROUND_1");
        assertEquals(-1, x0(0x8000_0001, 0x8000_7FFFL, 0), "ARCH_WORKAROUND_2");
        assertEquals(-1, x0(0x8000_0001, 0x8000_3FFFL, 0), "ARCH_WORKAROUND_3");
        assertEquals(-1, x0(0x8000_8000, 0, 0));
        PsciHandler withWa1 = new PsciHandler(topology, Set.of(0x8000_8000));
        assertEquals(0, withWa1.handle(0x8000_0001, 0x8000_8000L, 0, 0, power::get).x0());
        assertEquals(-1, withWa1.handle(0x8000_0001, 0x8000_7FFFL, 0, 0, power::get).x0());
        assertEquals(0, withWa1.handle(0x8000_8000, 0, 0, 0, power::get).x0());
    }

    @Test
    void rangesTheHandlerAnswers() {
        assertTrue(PsciHandler.handles(0x8400_0003));
        assertTrue(PsciHandler.handles(0xC400_0003));
        assertTrue(PsciHandler.handles(0x8000_0000));
        assertTrue(PsciHandler.handles(0x8000_8000));
        assertFalse(PsciHandler.handles(0xC200_0006), "SiP");
        assertFalse(PsciHandler.handles(0x8400_0050), "TRNG is a standard secure service but not PSCI");
        assertFalse(PsciHandler.handles(0x8600_FF01), "vendor hypervisor");
        assertFalse(PsciHandler.handles(0x0400_0003), "yielding");
    }
}
