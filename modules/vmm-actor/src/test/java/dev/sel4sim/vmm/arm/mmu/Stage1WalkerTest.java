package dev.sel4sim.vmm.arm.mmu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The walker on page tables built in a test RAM. Descriptor bits are spelled out here from the VMSAv8-64
 * descriptor layout, and every expected ESR is assembled by hand from EC/IL/ISS fields.
 */
class Stage1WalkerTest {
    // Descriptor fields (DDI 0487 D5: VMSAv8-64 translation table format descriptors)
    static final long TABLE = 0b11;
    static final long BLOCK = 0b01;
    static final long PAGE = 0b11;
    static final long ATTR1 = 1L << 2;      // AttrIndx = 1
    static final long AP_EL0 = 1L << 6;     // AP[1]: EL0 access
    static final long AP_RO = 1L << 7;      // AP[2]: read-only
    static final long AF = 1L << 10;
    static final long PXN = 1L << 53;
    static final long UXN = 1L << 54;
    static final long PXN_TABLE = 1L << 59;
    static final long UXN_TABLE = 1L << 60;
    static final long AP_TABLE_NO_EL0 = 1L << 61;
    static final long AP_TABLE_RO = 1L << 62;

    static final long SCTLR_M = 1;
    static final long SCTLR_WXN = 1L << 19;
    static final long SCTLR_EE = 1L << 25;
    static final long TBI0 = 1L << 37;
    static final long TBI1 = 1L << 38;
    static final long EPD0 = 1L << 7;
    static final long HPD1 = 1L << 42;
    // MAIR: attr0 Normal write-back, attr1 Device-nGnRE
    static final long MAIR = 0x04FFL;

    static final long RAM = 0x4000_0000L;

    /** TCR_EL1 from T0SZ[5:0], TG0[15:14], T1SZ[21:16], TG1[31:30], IPS[34:32]. */
    static long tcr(int t0sz, int t1sz, int tg0, int tg1, int ips) {
        return t0sz | (long) tg0 << 14 | (long) t1sz << 16 | (long) tg1 << 30 | (long) ips << 32;
    }

    /** 39-bit VAs, 4 KiB granules (TG0 = 00, TG1 = 10), IPS = 101 (48 bits). */
    static final long TCR_39 = tcr(25, 25, 0b00, 0b10, 0b101);
    /** 48-bit VAs, 4 KiB granules, 48-bit IPS. */
    static final long TCR_48 = tcr(16, 16, 0b00, 0b10, 0b101);

    final Ram ram = new Ram(RAM, 4 << 20);
    final Stage1Walker walker = new Stage1Walker(ram);

    // 39-bit layout for VA 0x12_3456_7ABC: L1 index 0x48, L2 index 0x1A2, L3 index 0x167, offset 0xABC
    static final long VA = 0x12_3456_7ABCL;
    static final long L1 = RAM;
    static final long L2 = RAM + 0x1000;
    static final long L3 = RAM + 0x2000;
    static final long PAGE_PA = 0x4008_0000L;

    Stage1Registers regs39(long sctlr) {
        return new Stage1Registers(SCTLR_M | sctlr, TCR_39, L1, 0, MAIR, 48);
    }

    /** Maps VA to PAGE_PA through three levels, with the given leaf and table extras. */
    void mapPage(long leafBits, long l1TableBits, long l2TableBits) {
        ram.entry(L1, 0x48, L2 | TABLE | l1TableBits);
        ram.entry(L2, 0x1A2, L3 | TABLE | l2TableBits);
        ram.entry(L3, 0x167, PAGE_PA | PAGE | leafBits);
    }

    WalkResult el1(long sctlr, AccessType type) {
        return walker.translate(regs39(sctlr), VA, type, false, false);
    }

    WalkResult el0(AccessType type) {
        return walker.translate(regs39(0), VA, type, true, false);
    }

    static void assertFault(FaultKind kind, int level, WalkResult result) {
        Fault fault = assertInstanceOf(Fault.class, result, () -> "expected a fault, got " + result);
        assertEquals(kind, fault.kind(), "kind");
        assertEquals(level, fault.level(), "level");
    }

    static void assertAllowed(WalkResult result) {
        assertInstanceOf(Translation.class, result, () -> "expected a translation, got " + result);
    }

    @Test
    void mmuOffIsIdentityAndDataIsDevice() {
        Stage1Registers off = new Stage1Registers(0, 0, 0, 0, 0, 44);
        Translation t = assertInstanceOf(Translation.class,
                walker.translate(off, 0x4000_1234L, AccessType.READ, false, false));
        assertEquals(0x4000_1234L, t.physicalAddress());
        assertEquals(-1, t.level());
        assertTrue(t.attributes().isDevice());
        Translation fetch = assertInstanceOf(Translation.class,
                walker.translate(off, 0x4000_1234L, AccessType.EXECUTE, false, false));
        assertFalse(fetch.attributes().isDevice());
    }

    @Test
    void mmuOffAddressBeyondThePhysicalRangeIsAnAddressSizeFaultAtLevel0() {
        Stage1Registers off = new Stage1Registers(0, 0, 0, 0, 0, 44);
        WalkResult r = walker.translate(off, 1L << 44, AccessType.READ, false, false);
        assertFault(FaultKind.ADDRESS_SIZE, 0, r);
        // EC 0x25 << 26 = 0x9400_0000, IL = 0x0200_0000, DFSC 0b000000
        assertEquals(0x9600_0000L, FaultSyndrome.dataAbort((Fault) r, false));
    }

    @Test
    void mmuOffTopByteIgnoredOnlyWithTbi() {
        long tagged = 0x5A00_0000_4000_1234L;
        Stage1Registers noTbi = new Stage1Registers(0, 0, 0, 0, 0, 48);
        assertFault(FaultKind.ADDRESS_SIZE, 0, walker.translate(noTbi, tagged, AccessType.READ, false, false));
        Stage1Registers tbi = new Stage1Registers(0, TBI0, 0, 0, 0, 48);
        Translation t = assertInstanceOf(Translation.class, walker.translate(tbi, tagged, AccessType.READ, false, false));
        assertEquals(0x4000_1234L, t.physicalAddress());
    }

    @Test
    void pageAtLevel3With39BitVa() {
        mapPage(AF | ATTR1, 0, 0);
        Translation t = assertInstanceOf(Translation.class, el1(0, AccessType.READ));
        assertEquals(PAGE_PA + 0xABC, t.physicalAddress());
        assertEquals(3, t.level());
        assertEquals(4096, t.blockSize());
        assertEquals(0x04, t.attributes().memoryAttributes());
        assertTrue(t.attributes().isDevice());
    }

    @Test
    void blockAtLevel1() {
        // VA 0x12_3456_7ABC lies in the 1 GiB block at L1 index 0x48; offset within it 0x3456_7ABC
        ram.entry(L1, 0x48, 0x8000_0000L | BLOCK | AF);
        Translation t = assertInstanceOf(Translation.class, el1(0, AccessType.WRITE));
        assertEquals(0x8000_0000L + 0x3456_7ABCL, t.physicalAddress());
        assertEquals(1, t.level());
        assertEquals(1L << 30, t.blockSize());
        assertEquals(0xFF, t.attributes().memoryAttributes());
    }

    @Test
    void blockAtLevel2() {
        // 2 MiB block at L2 index 0x1A2; offset within it VA[20:0] = 0x16_7ABC
        ram.entry(L1, 0x48, L2 | TABLE);
        ram.entry(L2, 0x1A2, 0x4060_0000L | BLOCK | AF);
        Translation t = assertInstanceOf(Translation.class, el1(0, AccessType.READ));
        assertEquals(0x4060_0000L + 0x16_7ABCL, t.physicalAddress());
        assertEquals(2, t.level());
        assertEquals(2L << 20, t.blockSize());
    }

    @Test
    void ttbr1RegionWith48BitVa() {
        // VA 0xFFFF_0000_1234_5678: L0 0, L1 0, L2 0x91, L3 0x145
        long l0 = RAM + 0x10000, l1 = RAM + 0x11000, l2 = RAM + 0x12000, l3 = RAM + 0x13000;
        ram.entry(l0, 0, l1 | TABLE);
        ram.entry(l1, 0, l2 | TABLE);
        ram.entry(l2, 0x91, l3 | TABLE);
        ram.entry(l3, 0x145, 0x4123_4000L | PAGE | AF);
        Stage1Registers regs = new Stage1Registers(SCTLR_M, TCR_48, 0, l0, MAIR, 48);
        Translation t = assertInstanceOf(Translation.class,
                walker.translate(regs, 0xFFFF_0000_1234_5678L, AccessType.READ, false, false));
        assertEquals(0x4123_4678L, t.physicalAddress());
        assertEquals(3, t.level());
        // The same VA through TTBR0 with an empty TTBR0 table: not taken, the range is TTBR1's
        Stage1Registers empty1 = new Stage1Registers(SCTLR_M, TCR_48, l0, RAM + 0x20000, MAIR, 48);
        assertFault(FaultKind.TRANSLATION, 0,
                walker.translate(empty1, 0xFFFF_0000_1234_5678L, AccessType.READ, false, false));
    }

    @Test
    void vaInNeitherRangeIsATranslationFaultAtLevel0() {
        mapPage(AF, 0, 0);
        // bit 39 set with VA[55] = 0: above TTBR0's 39-bit range
        WalkResult low = walker.translate(regs39(0), 0x80_0000_0000L | VA, AccessType.READ, false, false);
        assertFault(FaultKind.TRANSLATION, 0, low);
        // EC 0x25, IL, DFSC 0b000100
        assertEquals(0x9600_0004L, FaultSyndrome.dataAbort((Fault) low, false));
        // below TTBR1's range (0xFFFF_FF80_0000_0000 and up)
        assertFault(FaultKind.TRANSLATION, 0,
                walker.translate(regs39(0), 0xFFFF_FF00_0000_0000L, AccessType.READ, false, false));
    }

    @Test
    void topByteIsCheckedUnlessTbi() {
        mapPage(AF, 0, 0);
        long tagged = 0x5A00_0000_0000_0000L | VA;
        assertFault(FaultKind.TRANSLATION, 0, walker.translate(regs39(0), tagged, AccessType.READ, false, false));
        Stage1Registers tbi = new Stage1Registers(SCTLR_M, TCR_39 | TBI0, L1, 0, MAIR, 48);
        Translation t = assertInstanceOf(Translation.class, walker.translate(tbi, tagged, AccessType.READ, false, false));
        assertEquals(PAGE_PA + 0xABC, t.physicalAddress());
    }

    @Test
    void disabledWalkIsATranslationFaultAtLevel0() {
        mapPage(AF, 0, 0);
        Stage1Registers regs = new Stage1Registers(SCTLR_M, TCR_39 | EPD0, L1, 0, MAIR, 48);
        assertFault(FaultKind.TRANSLATION, 0, walker.translate(regs, VA, AccessType.READ, false, false));
    }

    @Test
    void invalidDescriptorsFaultAtTheirLevel() {
        assertFault(FaultKind.TRANSLATION, 1, el1(0, AccessType.READ));
        ram.entry(L1, 0x48, L2 | TABLE);
        assertFault(FaultKind.TRANSLATION, 2, el1(0, AccessType.READ));
        ram.entry(L2, 0x1A2, L3 | TABLE);
        assertFault(FaultKind.TRANSLATION, 3, el1(0, AccessType.READ));
        // bits[1:0] = 01 at level 3 is reserved
        ram.entry(L3, 0x167, PAGE_PA | 0b01 | AF);
        assertFault(FaultKind.TRANSLATION, 3, el1(0, AccessType.READ));
    }

    @Test
    void level0BlockIsNotAllowedWith4KGranules() {
        long l0 = RAM + 0x10000;
        ram.entry(l0, 0, BLOCK | AF);
        Stage1Registers regs = new Stage1Registers(SCTLR_M, TCR_48, l0, 0, MAIR, 48);
        assertFault(FaultKind.TRANSLATION, 0, walker.translate(regs, 0x1000, AccessType.READ, false, false));
    }

    @Test
    void accessFlagClearIsAnAccessFlagFaultAtTheLeafLevel() {
        mapPage(AP_EL0, 0, 0);
        WalkResult r = el0(AccessType.WRITE);
        assertFault(FaultKind.ACCESS_FLAG, 3, r);
        // EC 0x24 << 26 = 0x9000_0000, IL 0x0200_0000, WnR 0x40, DFSC 0b001011
        assertEquals(0x9200_004BL, FaultSyndrome.dataAbort((Fault) r, true));

        ram.entry(L2, 0x1A2, 0x4060_0000L | BLOCK);
        WalkResult block = el1(0, AccessType.READ);
        assertFault(FaultKind.ACCESS_FLAG, 2, block);
        assertEquals(0x9600_000AL, FaultSyndrome.dataAbort((Fault) block, false));
    }

    @Test
    void writingAReadOnlyPageIsAPermissionFaultAtLevel3() {
        mapPage(AF | AP_RO, 0, 0);
        assertAllowed(el1(0, AccessType.READ));
        WalkResult r = el1(0, AccessType.WRITE);
        assertFault(FaultKind.PERMISSION, 3, r);
        // EC 0x25, IL, WnR, DFSC 0b001111
        assertEquals(0x9600_004FL, FaultSyndrome.dataAbort((Fault) r, false));
    }

    @Test
    void el0CannotTouchAnEl1OnlyPage() {
        mapPage(AF, 0, 0);
        assertAllowed(el1(0, AccessType.READ));
        assertAllowed(el1(0, AccessType.WRITE));
        WalkResult r = el0(AccessType.READ);
        assertFault(FaultKind.PERMISSION, 3, r);
        // EC 0x24, IL, WnR 0, DFSC 0b001111
        assertEquals(0x9200_000FL, FaultSyndrome.dataAbort((Fault) r, true));
        // LDTR at EL1: EL0 permissions, but the exception is from the same level
        assertEquals(0x9600_000FL, FaultSyndrome.dataAbort((Fault) r, false));
    }

    @Test
    void el0ReadWritePageAndReadOnlyPage() {
        mapPage(AF | AP_EL0, 0, 0);
        assertAllowed(el0(AccessType.READ));
        assertAllowed(el0(AccessType.WRITE));
        mapPage(AF | AP_EL0 | AP_RO, 0, 0);
        assertAllowed(el0(AccessType.READ));
        assertFault(FaultKind.PERMISSION, 3, el0(AccessType.WRITE));
    }

    @Test
    void pxnForbidsEl1Execution() {
        mapPage(AF | PXN, 0, 0);
        WalkResult r = el1(0, AccessType.EXECUTE);
        assertFault(FaultKind.PERMISSION, 3, r);
        // EC 0x21 << 26 = 0x8400_0000, IL, IFSC 0b001111
        assertEquals(0x8600_000FL, FaultSyndrome.instructionAbort((Fault) r, false));
        // EL0 may execute it: UXN is clear, and execution at EL0 needs no read permission
        assertAllowed(el0(AccessType.EXECUTE));
    }

    @Test
    void uxnForbidsEl0Execution() {
        mapPage(AF | AP_EL0 | AP_RO | UXN, 0, 0);
        WalkResult r = el0(AccessType.EXECUTE);
        assertFault(FaultKind.PERMISSION, 3, r);
        // EC 0x20 << 26 = 0x8000_0000, IL, IFSC 0b001111
        assertEquals(0x8200_000FL, FaultSyndrome.instructionAbort((Fault) r, true));
        assertAllowed(el1(0, AccessType.EXECUTE));
    }

    @Test
    void el0WritableMemoryIsNeverExecutableAtEl1() {
        mapPage(AF | AP_EL0, 0, 0);
        assertFault(FaultKind.PERMISSION, 3, el1(0, AccessType.EXECUTE));
        assertAllowed(el0(AccessType.EXECUTE));
    }

    @Test
    void wxnMakesWritableMemoryExecuteNever() {
        mapPage(AF, 0, 0);
        assertAllowed(el1(0, AccessType.EXECUTE));
        assertFault(FaultKind.PERMISSION, 3, el1(SCTLR_WXN, AccessType.EXECUTE));
        mapPage(AF | AP_RO, 0, 0);
        assertAllowed(el1(SCTLR_WXN, AccessType.EXECUTE));
    }

    @Test
    void panForbidsPrivilegedDataAccessToEl0Memory() {
        mapPage(AF | AP_EL0, 0, 0);
        Stage1Registers regs = regs39(0);
        assertAllowed(walker.translate(regs, VA, AccessType.READ, false, false));
        WalkResult r = walker.translate(regs, VA, AccessType.READ, false, true);
        assertFault(FaultKind.PERMISSION, 3, r);
        assertEquals(0x9600_000FL, FaultSyndrome.dataAbort((Fault) r, false));
        assertFault(FaultKind.PERMISSION, 3, walker.translate(regs, VA, AccessType.WRITE, false, true));
        // LDTR/STTR are not affected; nor is cache maintenance other than DC ZVA
        assertAllowed(walker.translate(regs, VA, AccessType.READ, true, true));
        assertAllowed(walker.translate(regs, VA, AccessType.CACHE_MAINTENANCE, false, true));
        // nor instruction fetch (an EL0-read-only page is executable at EL1 when PXN is clear)
        mapPage(AF | AP_EL0 | AP_RO, 0, 0);
        assertAllowed(walker.translate(regs, VA, AccessType.EXECUTE, false, true));
        // and EL1-only memory is unaffected
        mapPage(AF, 0, 0);
        assertAllowed(walker.translate(regs, VA, AccessType.WRITE, false, true));
    }

    @Test
    void tableLevelLimitsApplyBelowThem() {
        mapPage(AF | AP_EL0, AP_TABLE_NO_EL0, 0);
        assertFault(FaultKind.PERMISSION, 3, el0(AccessType.READ));
        assertAllowed(el1(0, AccessType.WRITE));
        mapPage(AF | AP_EL0, 0, AP_TABLE_RO);
        assertAllowed(el0(AccessType.READ));
        assertFault(FaultKind.PERMISSION, 3, el0(AccessType.WRITE));
        assertFault(FaultKind.PERMISSION, 3, el1(0, AccessType.WRITE));
        mapPage(AF, PXN_TABLE, 0);
        assertFault(FaultKind.PERMISSION, 3, el1(0, AccessType.EXECUTE));
        mapPage(AF | AP_EL0 | AP_RO, 0, UXN_TABLE);
        assertFault(FaultKind.PERMISSION, 3, el0(AccessType.EXECUTE));
    }

    @Test
    void hierarchicalPermissionsCanBeDisabled() {
        // TTBR1, 39 bits: VA 0xFFFF_FFC0_0000_1000 -> L1 index 0x100, L2 0, L3 1
        long l1 = RAM + 0x20000, l2 = RAM + 0x21000, l3 = RAM + 0x22000;
        ram.entry(l1, 0x100, l2 | TABLE | AP_TABLE_RO);
        ram.entry(l2, 0, l3 | TABLE);
        ram.entry(l3, 1, 0x4000_0000L | PAGE | AF);
        long va = 0xFFFF_FFC0_0000_1000L;
        Stage1Registers limited = new Stage1Registers(SCTLR_M, TCR_39, 0, l1, MAIR, 48);
        assertFault(FaultKind.PERMISSION, 3, walker.translate(limited, va, AccessType.WRITE, false, false));
        Stage1Registers hpd = new Stage1Registers(SCTLR_M, TCR_39 | HPD1, 0, l1, MAIR, 48);
        assertAllowed(walker.translate(hpd, va, AccessType.WRITE, false, false));
    }

    @Test
    void atomicsReportWnrByWhichHalfFailed() {
        mapPage(AF | AP_RO, 0, 0);
        Fault readOnly = assertInstanceOf(Fault.class, el1(0, AccessType.READ_WRITE));
        assertEquals(FaultKind.PERMISSION, readOnly.kind());
        assertTrue(readOnly.writeNotRead(), "the read was allowed, the write failed");
        mapPage(AF, 0, 0);
        Fault el1Only = assertInstanceOf(Fault.class, el0(AccessType.READ_WRITE));
        assertFalse(el1Only.writeNotRead(), "the read itself would have faulted");
        ram.entry(L3, 0x167, 0);
        Fault missing = assertInstanceOf(Fault.class, el1(0, AccessType.READ_WRITE));
        assertEquals(FaultKind.TRANSLATION, missing.kind());
        assertFalse(missing.writeNotRead());
    }

    @Test
    void cacheMaintenanceFaultsCarryCmAndWnr() {
        mapPage(AF | AP_RO, 0, 0);
        assertAllowed(el1(0, AccessType.CACHE_MAINTENANCE));
        assertFault(FaultKind.PERMISSION, 3, el1(0, AccessType.CACHE_INVALIDATE));
        ram.entry(L3, 0x167, 0);
        WalkResult r = el1(0, AccessType.CACHE_MAINTENANCE);
        assertFault(FaultKind.TRANSLATION, 3, r);
        // EC 0x25, IL, CM 0x100, WnR 0x40, DFSC 0b000111
        assertEquals(0x9600_0147L, FaultSyndrome.dataAbort((Fault) r, false));
        // at EL0 cache maintenance needs read permission
        mapPage(AF, 0, 0);
        assertFault(FaultKind.PERMISSION, 3, el0(AccessType.CACHE_MAINTENANCE));
    }

    @Test
    void nextTableOutsideRamIsAnExternalAbortOnTheWalk() {
        ram.entry(L1, 0x48, 0x1_0000_0000L | TABLE);
        WalkResult r = el1(0, AccessType.READ);
        Fault fault = assertInstanceOf(Fault.class, r);
        assertEquals(FaultKind.SYNC_EXTERNAL_ABORT, fault.kind());
        assertEquals(2, fault.level());
        assertTrue(fault.onTableWalk());
        // EC 0x25, IL, DFSC 0b010110
        assertEquals(0x9600_0016L, FaultSyndrome.dataAbort(fault, false));
    }

    @Test
    void ttbrOutsideRamIsAnExternalAbortAtTheStartLevel() {
        Stage1Registers regs = new Stage1Registers(SCTLR_M, TCR_39, 0x2_0000_0000L, 0, MAIR, 48);
        Fault fault = assertInstanceOf(Fault.class, walker.translate(regs, VA, AccessType.READ, false, false));
        assertEquals(FaultKind.SYNC_EXTERNAL_ABORT, fault.kind());
        assertEquals(1, fault.level());
    }

    @Test
    void addressesBeyondThePhysicalAddressSizeAreAddressSizeFaults() {
        // IPS = 010: 40-bit PAs
        long tcr40 = tcr(25, 25, 0b00, 0b10, 0b010);
        Stage1Registers regs = new Stage1Registers(SCTLR_M, tcr40, L1, 0, MAIR, 48);
        ram.entry(L1, 0x48, (1L << 40) | TABLE);
        WalkResult table = walker.translate(regs, VA, AccessType.READ, false, false);
        assertFault(FaultKind.ADDRESS_SIZE, 1, table);
        // EC 0x25, IL, DFSC 0b000001
        assertEquals(0x9600_0001L, FaultSyndrome.dataAbort((Fault) table, false));

        mapPage(AF, 0, 0);
        ram.entry(L3, 0x167, (1L << 41) | PAGE | AF);
        assertFault(FaultKind.ADDRESS_SIZE, 3, walker.translate(regs, VA, AccessType.READ, false, false));

        Stage1Registers badBase = new Stage1Registers(SCTLR_M, tcr40, 1L << 40, 0, MAIR, 48);
        assertFault(FaultKind.ADDRESS_SIZE, 0, walker.translate(badBase, VA, AccessType.READ, false, false));

        // IPS 48 but a CPU with 40-bit PAs: the smaller size wins
        Stage1Registers small = new Stage1Registers(SCTLR_M, TCR_39, L1, 0, MAIR, 40);
        assertFault(FaultKind.ADDRESS_SIZE, 3, walker.translate(small, VA, AccessType.READ, false, false));
    }

    @Test
    void leafOutsideRamStillTranslates() {
        // Output addresses are not read by the walk: MMIO pages translate normally.
        mapPage(AF, 0, 0);
        ram.entry(L3, 0x167, 0x0900_0000L | PAGE | AF | ATTR1);
        Translation t = assertInstanceOf(Translation.class, el1(0, AccessType.WRITE));
        assertEquals(0x0900_0ABCL, t.physicalAddress());
    }

    @Test
    void granule16K() {
        // TG0 = 10, T0SZ = 17: 47-bit VA, start level 1 with 11 index bits; 16 KiB tables
        long tcr = tcr(17, 25, 0b10, 0b10, 0b101);
        long l1 = RAM + 0x40000, l2 = RAM + 0x44000, l3 = RAM + 0x48000;
        long va = 0x0000_1234_5678_9ABCL;
        // indices: L1 = VA[46:36], L2 = VA[35:25], L3 = VA[24:14]
        long i1 = (va >>> 36) & 0x7FF, i2 = (va >>> 25) & 0x7FF, i3 = (va >>> 14) & 0x7FF;
        ram.entry(l1, i1, l2 | TABLE);
        ram.entry(l2, i2, l3 | TABLE);
        ram.entry(l3, i3, 0x4010_0000L | PAGE | AF);
        Stage1Registers regs = new Stage1Registers(SCTLR_M, tcr, l1, 0, MAIR, 48);
        Translation t = assertInstanceOf(Translation.class, walker.translate(regs, va, AccessType.READ, false, false));
        assertEquals(0x4010_0000L | (va & 0x3FFF), t.physicalAddress());
        assertEquals(16384, t.blockSize());
        // a 32 MiB block at level 2
        ram.entry(l2, i2, 0x4200_0000L | BLOCK | AF);
        Translation block = assertInstanceOf(Translation.class, walker.translate(regs, va, AccessType.READ, false, false));
        assertEquals(0x4200_0000L | (va & 0x1FF_FFFF), block.physicalAddress());
        assertEquals(2, block.level());
        // no level-1 blocks with 16 KiB granules
        ram.entry(l1, i1, BLOCK | AF);
        assertFault(FaultKind.TRANSLATION, 1, walker.translate(regs, va, AccessType.READ, false, false));
    }

    @Test
    void granule64K() {
        // TG0 = 01, T0SZ = 22: 42-bit VA, start level 2 with 13 index bits; 64 KiB tables
        long tcr = tcr(22, 25, 0b01, 0b10, 0b101);
        long l2 = RAM + 0x100000, l3 = RAM + 0x110000;
        long va = 0x0000_0123_4567_89ABL;
        long i2 = (va >>> 29) & 0x1FFF, i3 = (va >>> 16) & 0x1FFF;
        ram.entry(l2, i2, l3 | TABLE);
        ram.entry(l3, i3, 0x4030_0000L | PAGE | AF);
        Stage1Registers regs = new Stage1Registers(SCTLR_M, tcr, l2, 0, MAIR, 48);
        Translation t = assertInstanceOf(Translation.class, walker.translate(regs, va, AccessType.READ, false, false));
        assertEquals(0x4030_0000L | (va & 0xFFFF), t.physicalAddress());
        assertEquals(65536, t.blockSize());
        ram.entry(l2, i2, 0x6000_0000L | BLOCK | AF);
        Translation block = assertInstanceOf(Translation.class, walker.translate(regs, va, AccessType.READ, false, false));
        assertEquals(0x6000_0000L | (va & 0x1FFF_FFFF), block.physicalAddress());
        assertEquals(512L << 20, block.blockSize());
    }

    @Test
    void bigEndianTables() {
        Ram be = new Ram(RAM, 1 << 20, true);
        be.entry(L1, 0x48, L2 | TABLE);
        be.entry(L2, 0x1A2, L3 | TABLE);
        be.entry(L3, 0x167, PAGE_PA | PAGE | AF);
        Translation t = assertInstanceOf(Translation.class,
                new Stage1Walker(be).translate(regs39(SCTLR_EE), VA, AccessType.READ, false, false));
        assertEquals(PAGE_PA + 0xABC, t.physicalAddress());
    }

    @Test
    void lpa2DescriptorsAreReportedUnsupported() {
        mapPage(AF, 0, 0);
        Stage1Registers regs = new Stage1Registers(SCTLR_M, TCR_39 | 1L << 59, L1, 0, MAIR, 48);
        assertInstanceOf(UnsupportedTranslation.class, walker.translate(regs, VA, AccessType.READ, false, false));
    }

    @Test
    void hostileRegisterValuesNeverThrow() {
        long seed = 0x9E37_79B9_7F4A_7C15L;
        for (int i = 0; i < 20_000; i++) {
            seed = seed * 6_364_136_223_846_793_005L + 1_442_695_040_888_963_407L;
            long tcr = seed & ~(1L << 59);
            long ttbr = RAM + ((seed >>> 20) & 0xF_F000);
            Stage1Registers regs = new Stage1Registers(SCTLR_M | (seed & SCTLR_EE), tcr, ttbr, ttbr, seed >>> 3, 48);
            ram.entry(RAM, (seed >>> 40) & 511, seed ^ (seed >>> 7));
            for (AccessType type : AccessType.values()) {
                walker.translate(regs, seed * 31, type, (seed & 1) != 0, (seed & 2) != 0);
            }
        }
    }
}
