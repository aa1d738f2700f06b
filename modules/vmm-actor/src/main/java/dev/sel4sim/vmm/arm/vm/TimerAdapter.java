package dev.sel4sim.vmm.arm.vm;

import dev.sel4sim.vmm.arm.SysRegResult;
import dev.sel4sim.vmm.arm.timer.GenericTimer;
import dev.sel4sim.vmm.cpu.SysReg;

import java.util.OptionalLong;

/** A VCPU's {@link GenericTimer} behind the VCPU loop's {@link VmTimer} view. */
final class TimerAdapter implements VmTimer {
    private final GenericTimer timer;

    TimerAdapter(GenericTimer timer) {
        this.timer = timer;
    }

    @Override
    public OptionalLong read(SysReg reg, long nowNs) {
        return timer.read(reg) instanceof SysRegResult.Value v ? OptionalLong.of(v.value()) : OptionalLong.empty();
    }

    @Override
    public boolean write(SysReg reg, long value, long nowNs) {
        return timer.write(reg, value) instanceof SysRegResult.Written;
    }

    @Override
    public boolean virtualLine(long nowNs) {
        return timer.virtLineHigh(nowNs);
    }

    @Override
    public boolean physicalLine(long nowNs) {
        return timer.physLineHigh(nowNs);
    }

    @Override
    public long nextDeadline(long nowNs) {
        return timer.nextDeadlineNs(nowNs);
    }
}
