package dev.sel4sim.vmm.arm.mmu;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * VMSAv8-64 stage-1 translation for the EL1&amp;0 regime (4, 16 and 64 KiB granules, up to 48-bit VA
 * and PA), with the checks that decide which abort an access takes: translation, address size, access
 * flag (AF is never set by hardware here: the CPUs we model have no FEAT_HAFDBS, so HA/HD are ignored),
 * permission (AP, UXN/PXN, the table-level APTable/UXNTable/PXNTable unless TCR.HPDx, EL0-writable memory
 * never executable at EL1, WXN, PAN) and external aborts on table reads outside RAM. Never throws for any
 * register or descriptor value.
 */
public final class Stage1Walker {
    private static final long OA_MASK = 0x0000_FFFF_FFFF_FFFFL;
    private static final int MAX_PA_BITS = 48;

    private final PhysicalMemory memory;

    public Stage1Walker(PhysicalMemory memory) {
        this.memory = Objects.requireNonNull(memory, "memory");
    }

    /**
     * Translates one virtual address.
     *
     * @param regs the translation registers at the time of the access
     * @param va the virtual address, tag byte included
     * @param access what the access does
     * @param unprivileged true when permissions are those of EL0: code running at EL0, or LDTR/STTR at EL1
     * @param pan PSTATE.PAN: privileged data accesses to EL0-accessible memory fault
     */
    public WalkResult translate(Stage1Registers regs, long va, AccessType access, boolean unprivileged,
                                boolean pan) {
        boolean fetch = access == AccessType.EXECUTE;
        int select = (int) (va >>> 55) & 1;
        long tcr = regs.tcr();
        boolean tbi = bit(tcr, select == 0 ? 37 : 38) && !(fetch && bit(tcr, select == 0 ? 51 : 52));
        if (!regs.mmuEnabled()) {
            return flat(regs, va, access, tbi);
        }
        if (bit(tcr, 59)) {
            return new UnsupportedTranslation("TCR_EL1.DS (52-bit addresses, FEAT_LPA2) is not modelled");
        }

        int txsz = Math.clamp((int) (tcr >>> (select == 0 ? 0 : 16)) & 0x3F, 16, 39);
        Granule granule = select == 0
                ? Granule.fromTg0((int) (tcr >>> 14) & 3)
                : Granule.fromTg1((int) (tcr >>> 30) & 3);
        boolean walkDisabled = bit(tcr, select == 0 ? 7 : 23);
        boolean hierarchicalDisabled = bit(tcr, select == 0 ? 41 : 42);
        int inputBits = 64 - txsz;

        // Bits above the input range (below the tag byte when TBI applies) must all equal VA[55].
        int top = tbi ? 55 : 63;
        int width = top - inputBits + 1;
        long upper = (va >>> inputBits) & ((1L << width) - 1);
        if (upper != (select == 0 ? 0 : (1L << width) - 1) || walkDisabled) {
            return Fault.of(FaultKind.TRANSLATION, 0, false, access, false);
        }

        int paBits = Math.min(MAX_PA_BITS,
                Math.min(regs.implementedPaBits(), Stage1Registers.addressBits((int) (tcr >>> 32) & 7)));
        long baseAddress = (select == 0 ? regs.ttbr0() : regs.ttbr1()) & OA_MASK & ~1L;
        if (baseAddress >>> paBits != 0) {
            return Fault.of(FaultKind.ADDRESS_SIZE, 0, false, access, false);
        }

        int stride = granule.stride();
        int levels = (inputBits - granule.shift + stride - 1) / stride;
        int startLevel = 4 - levels;
        int startBits = inputBits - granule.shift - stride * (levels - 1);
        long table = baseAddress & -(8L << startBits);
        boolean bigEndian = bit(regs.sctlr(), 25);

        int apTable = 0;
        boolean uxnTable = false;
        boolean pxnTable = false;
        for (int level = startLevel; ; level++) {
            int shift = granule.shift + stride * (3 - level);
            int indexBits = level == startLevel ? startBits : stride;
            long index = (va >>> shift) & ((1L << indexBits) - 1);
            OptionalLong read = memory.read64(table + index * 8);
            if (read.isEmpty()) {
                return Fault.of(FaultKind.SYNC_EXTERNAL_ABORT, level, true, access, false);
            }
            long descriptor = bigEndian ? Long.reverseBytes(read.getAsLong()) : read.getAsLong();
            if ((descriptor & 1) == 0) {
                return Fault.of(FaultKind.TRANSLATION, level, false, access, false);
            }
            boolean tableOrPage = (descriptor & 2) != 0;
            if (level < 3 && tableOrPage) {
                long next = descriptor & OA_MASK & -(1L << granule.shift);
                if (next >>> paBits != 0) {
                    return Fault.of(FaultKind.ADDRESS_SIZE, level, false, access, false);
                }
                if (!hierarchicalDisabled) {
                    apTable |= (int) (descriptor >>> 61) & 3;
                    uxnTable |= bit(descriptor, 60);
                    pxnTable |= bit(descriptor, 59);
                }
                table = next;
                continue;
            }
            if (level == 3 ? !tableOrPage : !granule.blockAllowedAt(level)) {
                return Fault.of(FaultKind.TRANSLATION, level, false, access, false);
            }
            long blockSize = 1L << shift;
            long outputAddress = descriptor & OA_MASK & -blockSize;
            if (outputAddress >>> paBits != 0) {
                return Fault.of(FaultKind.ADDRESS_SIZE, level, false, access, false);
            }
            if (!bit(descriptor, 10)) {
                return Fault.of(FaultKind.ACCESS_FLAG, level, false, access, false);
            }
            Permissions permissions = permissions(descriptor, apTable, uxnTable, pxnTable, bit(regs.sctlr(), 19));
            Fault denied = check(permissions, access, unprivileged, pan, level);
            if (denied != null) {
                return denied;
            }
            int attrIndex = (int) (descriptor >>> 2) & 7;
            PageAttributes attributes = new PageAttributes(attrIndex, (int) (regs.mair() >>> (8 * attrIndex)) & 0xFF,
                    (int) (descriptor >>> 8) & 3, bit(descriptor, 11), bit(descriptor, 51), bit(descriptor, 52),
                    permissions);
            return new Translation(outputAddress | (va & (blockSize - 1)), attributes, level, blockSize);
        }
    }

    /** Stage 1 disabled: a flat map limited to the implemented PA size; data is Device-nGnRnE. */
    private static WalkResult flat(Stage1Registers regs, long va, AccessType access, boolean tbi) {
        long address = tbi ? va & 0x00FF_FFFF_FFFF_FFFFL : va;
        if (address >>> regs.implementedPaBits() != 0) {
            return Fault.of(FaultKind.ADDRESS_SIZE, 0, false, access, false);
        }
        int memoryType = access == AccessType.EXECUTE ? (bit(regs.sctlr(), 12) ? 0xAA : 0x44) : 0x00;
        PageAttributes attributes = new PageAttributes(0, memoryType, 2, false, false, false, Permissions.ALL);
        return new Translation(address, attributes, -1, 4096);
    }

    private static Permissions permissions(long descriptor, int apTable, boolean uxnTable, boolean pxnTable,
                                           boolean wxn) {
        boolean readOnly = bit(descriptor, 7) || (apTable & 2) != 0;
        boolean el0Access = bit(descriptor, 6) && (apTable & 1) == 0;
        boolean uxn = bit(descriptor, 54) || uxnTable;
        boolean pxn = bit(descriptor, 53) || pxnTable;
        boolean el0Write = el0Access && !readOnly;
        boolean el1Write = !readOnly;
        boolean el0Execute = !uxn && !(wxn && el0Write);
        boolean el1Execute = !pxn && !el0Write && !(wxn && el1Write);
        return new Permissions(el0Access, el0Write, el0Execute, true, el1Write, el1Execute);
    }

    /** The permission fault for this access, or null when it is allowed. */
    private static Fault check(Permissions p, AccessType access, boolean unprivileged, boolean pan, int level) {
        boolean panDenies = pan && !unprivileged && p.el0Read();
        boolean readAllowed = unprivileged ? p.el0Read() : !panDenies;
        boolean writeAllowed = unprivileged ? p.el0Write() : p.el1Write() && !panDenies;
        boolean allowed = switch (access) {
            case READ -> readAllowed;
            case WRITE -> writeAllowed;
            case READ_WRITE -> readAllowed && writeAllowed;
            case EXECUTE -> unprivileged ? p.el0Execute() : p.el1Execute();
            case CACHE_MAINTENANCE -> !unprivileged || p.el0Read();
            case CACHE_INVALIDATE -> unprivileged ? p.el0Write() : p.el1Write();
        };
        // An atomic whose read is allowed failed on its write: WnR = 1.
        boolean onWritePart = access == AccessType.READ_WRITE && readAllowed;
        return allowed ? null : Fault.of(FaultKind.PERMISSION, level, false, access, onWritePart);
    }

    private static boolean bit(long value, int position) {
        return ((value >>> position) & 1) != 0;
    }
}
