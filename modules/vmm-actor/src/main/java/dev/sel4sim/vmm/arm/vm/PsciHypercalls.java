package dev.sel4sim.vmm.arm.vm;

import dev.sel4sim.vmm.run.VmStop;
import dev.sel4sim.vmm.arm.psci.PowerState;
import dev.sel4sim.vmm.arm.psci.PsciAction;
import dev.sel4sim.vmm.arm.psci.PsciHandler;
import dev.sel4sim.vmm.arm.psci.PsciResult;
import dev.sel4sim.vmm.arm.psci.PsciReturn;
import dev.sel4sim.vmm.arm.psci.SmcDecision;
import dev.sel4sim.vmm.arm.psci.SmcGate;
import dev.sel4sim.vmm.arm.psci.SmccFunctionId;
import dev.sel4sim.vmm.cpu.Arm64Cpu;

/**
 * HVC and SMC from the guest: PSCI and the SMCCC architecture calls are answered by the
 * VMM (as libvmm and camkes-vm do); any other SMC goes through the VM's SMC policy, and the
 * first call of each unhandled function ID is logged with the ID decoded.
 */
final class PsciHypercalls implements Hypercalls {
    private final PsciHandler psci;
    private final SmcGate smc;

    PsciHypercalls(PsciHandler psci, SmcGate smc) {
        this.psci = psci;
        this.smc = smc;
    }

    @Override
    public VmStop call(ArmVm vm, ArmVcpu caller, boolean isSmc) {
        Arm64Cpu cpu = caller.cpu();
        int fid = (int) cpu.x(0);
        if (PsciHandler.handles(fid)) {
            PsciResult r = psci.handle(fid, cpu.x(1), cpu.x(2), cpu.x(3), v -> switch (vm.vcpus().get(v).power()) {
                case ON -> PowerState.ON;
                case OFF -> PowerState.OFF;
            });
            cpu.setX(0, r.x0());
            return switch (r.action()) {
                case PsciAction.None n -> null;
                case PsciAction.Wfi w -> null;
                case PsciAction.CpuOn on -> {
                    vm.powerOn(vm.vcpus().get(on.vcpu()), on.entry(), on.contextId(), caller);
                    yield null;
                }
                case PsciAction.CpuOff off -> {
                    caller.powerOff();
                    yield null;
                }
                case PsciAction.SystemOff off -> new VmStop.PoweredOff();
                case PsciAction.SystemReset reset -> new VmStop.Reset();
            };
        }
        if (!isSmc) {
            cpu.setX(0, PsciReturn.NOT_SUPPORTED);
            return null;
        }
        SmcGate.Outcome o = smc.decide(fid);
        if (o.firstTime()) {
            vm.note(String.format("SMC 0x%08x (%s): %s", fid, new SmccFunctionId(fid), o.decision()));
        }
        switch (o.decision()) {
            case SmcDecision.Handle h -> {
                cpu.setX(0, h.values().x0());
                cpu.setX(1, h.values().x1());
                cpu.setX(2, h.values().x2());
                cpu.setX(3, h.values().x3());
            }
            case SmcDecision.Deny d -> cpu.setX(0, PsciReturn.NOT_SUPPORTED);
            case SmcDecision.Forward f -> cpu.setX(0, PsciReturn.NOT_SUPPORTED);
        }
        return null;
    }
}
