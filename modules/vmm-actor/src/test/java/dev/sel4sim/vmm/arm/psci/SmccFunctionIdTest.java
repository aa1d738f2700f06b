package dev.sel4sim.vmm.arm.psci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Function ID fields per DEN0028 section 2.5 and its owning-entity table. */
class SmccFunctionIdTest {

    @Test
    void siPCallAsTheLogShowsIt() {
        SmccFunctionId id = new SmccFunctionId(0xC200_0006);
        assertTrue(id.fast());
        assertTrue(id.smc64());
        assertEquals(2, id.owner());
        assertEquals(6, id.functionNumber());
        assertEquals("0xc2000006 (fast, SMC64, SiP service, function 6)", id.toString());
        assertEquals("0xc2000a03 (fast, SMC64, SiP service, function 0xa03)",
                new SmccFunctionId(0xC200_0A03).toString());
    }

    @Test
    void knownCallsAreNamed() {
        assertEquals("0x84000003 (fast, SMC32, standard secure service, function 3: PSCI CPU_ON)",
                new SmccFunctionId(0x8400_0003).toString());
        assertEquals(Optional.of("SMCCC_ARCH_WORKAROUND_1"), new SmccFunctionId(0x8000_8000).name());
        assertEquals("0x8600ff01 (fast, SMC32, vendor hypervisor service, function 0xff01: UID query)",
                new SmccFunctionId(0x8600_FF01).toString());
        assertEquals(Optional.empty(), new SmccFunctionId(0xC200_0006).name());
    }

    @Test
    void owningEntities() {
        assertEquals("Arm architecture service", new SmccFunctionId(0x8000_0000).ownerName());
        assertEquals("CPU service", new SmccFunctionId(0x8100_0000).ownerName());
        assertEquals("OEM service", new SmccFunctionId(0x8300_0000).ownerName());
        assertEquals("standard hypervisor service", new SmccFunctionId(0xC500_0020).ownerName());
        assertEquals("vendor EL3 monitor service", new SmccFunctionId(0xC700_0010).ownerName());
        assertEquals("reserved owner 8", new SmccFunctionId(0x8800_0000).ownerName());
        assertEquals("reserved owner 47", new SmccFunctionId(0xAF00_0000).ownerName());
        assertEquals("trusted application", new SmccFunctionId(0xB000_0000).ownerName());
        assertEquals("trusted application", new SmccFunctionId(0xB100_0000).ownerName());
        assertEquals("trusted OS", new SmccFunctionId(0xB200_0000).ownerName());
        assertEquals("trusted OS", new SmccFunctionId(0xBF00_0000).ownerName());
    }

    @Test
    void yieldingCall() {
        SmccFunctionId id = new SmccFunctionId(0x3200_0001);
        assertFalse(id.fast());
        assertEquals(50, id.owner());
        assertEquals("0x32000001 (yielding, SMC32, trusted OS, function 1)", id.toString());
    }

    @Test
    void hintAndReservedBits() {
        SmccFunctionId sve = new SmccFunctionId(0xC201_0006);
        assertTrue(sve.sveStateNotLive());
        assertFalse(sve.reservedBitsSet());
        assertEquals("0xc2010006 (fast, SMC64, SiP service, function 6, no live SVE state)", sve.toString());
        SmccFunctionId bad = new SmccFunctionId(0xC202_0006);
        assertTrue(bad.reservedBitsSet());
        assertTrue(bad.toString().endsWith(", reserved bits set)"));
        assertEquals(Optional.of("PSCI CPU_ON"), new SmccFunctionId(0xC401_0003).name(), "the hint keeps the name");
    }
}
