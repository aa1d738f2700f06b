package dev.sel4sim.vmm.arm.decode;

/** How a load/store forms its address. Register number 31 as a base means SP unless said otherwise. */
public sealed interface Addressing {

    /** [Xn|SP, #offset]: scaled unsigned, unscaled signed, unprivileged and no-writeback pair forms. */
    record Offset(int base, long offset) implements Addressing {}

    /** [Xn|SP, #offset]!: the address is base + offset, and the base is updated to it. */
    record PreIndex(int base, long offset) implements Addressing {}

    /** [Xn|SP], #offset: the address is the base, and the base is then advanced by offset. */
    record PostIndex(int base, long offset) implements Addressing {}

    /** [Xn|SP], Xm: SIMD structure post-index by a register (Xm, never XZR here). */
    record PostIndexRegister(int base, int index) implements Addressing {}

    /** [Xn|SP, Xm|Wm{, extend #shift}]: index 31 is XZR. */
    record RegisterOffset(int base, int index, Extend extend, int shift) implements Addressing {}

    /** PC-relative literal: the address is the instruction's own address plus offset. */
    record Literal(long offset) implements Addressing {}

    /** The address is the value of Xt of a SYS instruction (DC/IC); register 31 is XZR here, not SP. */
    record SystemOperand(int register) implements Addressing {}

    /** The base register (31 = SP), or -1 for a literal and the operand register for DC/IC. */
    default int baseRegister() {
        return switch (this) {
            case Offset o -> o.base();
            case PreIndex p -> p.base();
            case PostIndex p -> p.base();
            case PostIndexRegister p -> p.base();
            case RegisterOffset r -> r.base();
            case Literal l -> -1;
            case SystemOperand s -> s.register();
        };
    }
}
