package dev.sel4sim.vmm.arm.vm;

import dev.sel4sim.vmm.cpu.MmioHandler;

import java.util.List;

/** The VM's interrupt controller as the VCPU loop needs it (GICv2 or GICv3 behind it). */
public interface VmGic {
    /** A device region of the controller (distributor, CPU interface, redistributors). */
    record Region(String name, long base, long size, MmioHandler handler) {
    }

    List<Region> regions();

    void setSpi(int intid, boolean high);

    void setPpi(int vcpu, int intid, boolean high);

    /** An interrupt the VCPU would take now if PSTATE.I were clear. */
    boolean irqPending(int vcpu);

    /** GICv3 ICC_* registers; false when {@code reg} is not one (or the GIC is v2). */
    boolean systemRegister(int vcpu, boolean read, SysRegAccess access);

    /** A system-register access: the value written, or where a read's value goes. */
    interface SysRegAccess {
        dev.sel4sim.vmm.cpu.SysReg reg();

        long value();

        void result(long value);
    }
}
