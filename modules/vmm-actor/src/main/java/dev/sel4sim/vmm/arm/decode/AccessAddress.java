package dev.sel4sim.vmm.arm.decode;

import java.util.Optional;

/** Address arithmetic of a decoded access, given the VCPU's registers. All arithmetic wraps at 64 bits. */
public final class AccessAddress {
    private AccessAddress() {}

    /**
     * The lowest virtual address the instruction accesses: base plus offset (not for post-index), the
     * extended and shifted index, or PC plus the literal offset. For DC ZVA the register value aligned
     * down to the block size; for other cache maintenance the register value.
     *
     * @param pc the address of the instruction itself
     */
    public static long effective(MemoryAccess access, RegisterFile regs, long pc) {
        return switch (access.addressing()) {
            case Addressing.Offset o -> base(regs, o.base()) + o.offset();
            case Addressing.PreIndex p -> base(regs, p.base()) + p.offset();
            case Addressing.PostIndex p -> base(regs, p.base());
            case Addressing.PostIndexRegister p -> base(regs, p.base());
            case Addressing.RegisterOffset r ->
                    base(regs, r.base()) + (r.extend().apply(index(regs, r.index())) << r.shift());
            case Addressing.Literal l -> pc + l.offset();
            case Addressing.SystemOperand s -> {
                long value = index(regs, s.register());
                yield access.kind() == AccessKind.ZERO_BLOCK ? value & -(long) access.elementSize() : value;
            }
        };
    }

    /**
     * The value FAR_EL1 takes when the fault is on the first byte of the access: the effective address,
     * except that DC ZVA and the other DC/IC instructions report the unaligned address held in Xt.
     */
    public static long faultAddress(MemoryAccess access, RegisterFile regs, long pc) {
        if (access.addressing() instanceof Addressing.SystemOperand s) {
            return index(regs, s.register());
        }
        return effective(access, regs, pc);
    }

    /**
     * The base-register update of a pre-indexed or post-indexed access (immediate or, for SIMD
     * structures, register), or empty when the instruction does not write back.
     */
    public static Optional<Writeback> writeback(MemoryAccess access, RegisterFile regs) {
        return switch (access.addressing()) {
            case Addressing.PreIndex p -> Optional.of(new Writeback(p.base(), base(regs, p.base()) + p.offset()));
            case Addressing.PostIndex p -> Optional.of(new Writeback(p.base(), base(regs, p.base()) + p.offset()));
            case Addressing.PostIndexRegister p ->
                    Optional.of(new Writeback(p.base(), base(regs, p.base()) + index(regs, p.index())));
            default -> Optional.empty();
        };
    }

    /** A base register: 31 is SP. */
    private static long base(RegisterFile regs, int n) {
        return n == 31 ? regs.sp() : regs.x(n);
    }

    /** An index or operand register: 31 is XZR. */
    private static long index(RegisterFile regs, int n) {
        return n == 31 ? 0 : regs.x(n);
    }
}
