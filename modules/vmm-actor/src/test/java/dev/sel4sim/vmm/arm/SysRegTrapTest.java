package dev.sel4sim.vmm.arm;

import dev.sel4sim.vmm.cpu.SysReg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SysRegTrapTest {

    @Test
    void decodesMrsAndMsrInstructions() {
        // mrs x0, cntvct_el0 = d53be040; msr cntv_ctl_el0, x1 = d51be321
        SysRegTrap mrs = SysRegTrap.fromInstruction(0xD53BE040).orElseThrow();
        assertEquals(SysReg.of(3, 3, 14, 0, 2), mrs.reg());
        assertTrue(mrs.read());
        assertEquals(0, mrs.rt());
        SysRegTrap msr = SysRegTrap.fromInstruction(0xD51BE321).orElseThrow();
        assertEquals(SysReg.of(3, 3, 14, 3, 1), msr.reg());
        assertFalse(msr.read());
        assertEquals(1, msr.rt());
        // msr icc_sgi1r_el1, x2 (S3_0_C12_C11_5)
        assertEquals(SysReg.of(3, 0, 12, 11, 5), SysRegTrap.fromInstruction(0xD518CBA2).orElseThrow().reg());
        assertEquals(Optional.empty(), SysRegTrap.fromInstruction(0xD503201F), "nop is a hint, not MSR");
        assertEquals(Optional.empty(), SysRegTrap.fromInstruction(0));
    }

    @Test
    void decodesTheTrapSyndrome() {
        // ISS for "mrs x3, cntvct_el0": Op0 3, Op2 2, Op1 3, CRn 14, Rt 3, CRm 0, read
        int iss = (3 << 20) | (2 << 17) | (3 << 14) | (14 << 10) | (3 << 5) | (0 << 1) | 1;
        SysRegTrap t = SysRegTrap.fromIss(iss);
        assertEquals("S3_3_C14_C0_2", t.reg().toString());
        assertEquals(3, t.rt());
        assertTrue(t.read());
        assertEquals(iss, t.iss(), "encoding the ISS back gives the hand-built one");
        // "msr cntv_ctl_el0, x1" from EL0: Op0 3, Op2 1, Op1 3, CRn 14, Rt 1, CRm 3, write
        assertEquals((3 << 20) | (1 << 17) | (3 << 14) | (14 << 10) | (1 << 5) | (3 << 1),
                SysRegTrap.fromInstruction(0xD51BE321).orElseThrow().iss());
    }

    @Test
    void topologyAffinities() {
        CpuTopology t = CpuTopology.linear(18, 16);
        assertEquals(0x101, t.affinity(17));
        assertEquals(17, t.vcpuOf(0x8000_0101L), "MPIDR's RES1 bit 31 is not affinity");
        assertEquals(-1, t.vcpuOf(0x102));
        CpuTopology custom = new CpuTopology(List.of(0x1_0002_0304L));
        assertEquals(0x0102_0304, custom.packedAffinity(0));
    }
}
