package dev.sel4sim.vmm.arm.mmu;

import dev.sel4sim.vmm.arm.decode.AccessAddress;
import dev.sel4sim.vmm.arm.decode.DecodeResult;
import dev.sel4sim.vmm.arm.decode.MemoryAccess;
import dev.sel4sim.vmm.arm.decode.MemoryAccessDecoder;
import dev.sel4sim.vmm.arm.decode.NotMemoryAccess;
import dev.sel4sim.vmm.arm.decode.RegisterFile;
import dev.sel4sim.vmm.arm.decode.Unsupported;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns an abort reported without FAR or ESR into the abort the guest should see, or tells the VMM that
 * stage 1 allows the access (so it is the VMM's to emulate). Fault priority follows the architecture:
 * alignment demanded by the instruction or SCTLR_EL1.A first, then the walk (translation, address size,
 * external abort on the walk), access flag, permission, and last alignment demanded by Device memory.
 * An access that spans pages is checked page by page from its lowest address; a fault on a later page
 * reports that page's first byte in FAR.
 */
public final class AbortResolver {
    private static final long PAGE = 4096;

    private final Stage1Walker walker;

    public AbortResolver(Stage1Walker walker) {
        this.walker = Objects.requireNonNull(walker, "walker");
    }

    /**
     * Explains a data abort.
     *
     * @param insn the instruction word at {@code pc}
     * @param regs the VCPU's registers at the abort
     * @param pc the address of the aborting instruction
     * @param mmu the translation registers
     * @param fromEl0 the instruction ran at EL0
     * @param pan PSTATE.PAN
     * @param zeroBlockBytes the DC ZVA block size
     */
    public AbortResolution dataAbort(int insn, RegisterFile regs, long pc, Stage1Registers mmu, boolean fromEl0,
                                     boolean pan, int zeroBlockBytes) {
        DecodeResult decoded = MemoryAccessDecoder.decode(insn, zeroBlockBytes);
        return switch (decoded) {
            case NotMemoryAccess n -> new AbortResolution.Unresolved("not a memory access: " + n.description());
            case Unsupported u -> new AbortResolution.Unresolved("unsupported instruction: " + u.reason());
            case MemoryAccess access -> dataAbort(access, regs, pc, mmu, fromEl0, pan);
        };
    }

    /** Explains a data abort of an already decoded access. */
    public AbortResolution dataAbort(MemoryAccess access, RegisterFile regs, long pc, Stage1Registers mmu,
                                     boolean fromEl0, boolean pan) {
        long va = AccessAddress.effective(access, regs, pc);
        long far = AccessAddress.faultAddress(access, regs, pc);
        Optional<Fault> misaligned = AlignmentCheck.check(access, va, mmu.sctlr(), false);
        if (misaligned.isPresent()) {
            return guestAbort(misaligned.get(), far, fromEl0);
        }
        AccessType type = AccessType.of(access);
        boolean unprivileged = fromEl0 || access.unprivileged();
        long last = va + Math.max(1, access.totalSize()) - 1;
        Translation first = null;
        for (long page = va & -PAGE; ; page += PAGE) {
            long address = first == null ? va : page;
            WalkResult result = walker.translate(mmu, address, type, unprivileged, pan);
            switch (result) {
                case Fault fault -> {
                    return guestAbort(fault, first == null ? far : address, fromEl0);
                }
                case UnsupportedTranslation u -> {
                    return new AbortResolution.Unresolved(u.reason());
                }
                case Translation t -> {
                    if (first == null) {
                        first = t;
                    }
                }
            }
            if (page == (last & -PAGE)) {
                break;
            }
        }
        Optional<Fault> device = AlignmentCheck.check(access, va, mmu.sctlr(), first.attributes().isDevice());
        if (device.isPresent()) {
            return guestAbort(device.get(), far, fromEl0);
        }
        return new AbortResolution.Stage1Allows(access, va, first);
    }

    /** Explains an instruction abort at {@code pc}. */
    public AbortResolution instructionAbort(long pc, Stage1Registers mmu, boolean fromEl0) {
        return switch (walker.translate(mmu, pc, AccessType.EXECUTE, fromEl0, false)) {
            case Fault fault -> new AbortResolution.GuestAbort(fault, pc, FaultSyndrome.instructionAbort(fault, fromEl0));
            case UnsupportedTranslation u -> new AbortResolution.Unresolved(u.reason());
            case Translation t -> new AbortResolution.Unresolved("stage 1 allows the fetch at 0x"
                    + Long.toHexString(pc) + " (PA 0x" + Long.toHexString(t.physicalAddress()) + ")");
        };
    }

    private static AbortResolution guestAbort(Fault fault, long far, boolean fromEl0) {
        return new AbortResolution.GuestAbort(fault, far, FaultSyndrome.dataAbort(fault, fromEl0));
    }
}
