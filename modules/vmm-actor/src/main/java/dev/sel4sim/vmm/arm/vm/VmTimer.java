package dev.sel4sim.vmm.arm.vm;

import dev.sel4sim.vmm.cpu.SysReg;

import java.util.OptionalLong;

/** One VCPU's generic timer as the VCPU loop needs it. */
public interface VmTimer {
    /** The value of a CNT* register at {@code nowNs}, or empty when it is not a timer register. */
    OptionalLong read(SysReg reg, long nowNs);

    /** Writes a CNT* register; false when it is not a timer register. */
    boolean write(SysReg reg, long value, long nowNs);

    boolean virtualLine(long nowNs);

    boolean physicalLine(long nowNs);

    /** The earliest time either line would rise, or Long.MAX_VALUE. */
    long nextDeadline(long nowNs);
}
