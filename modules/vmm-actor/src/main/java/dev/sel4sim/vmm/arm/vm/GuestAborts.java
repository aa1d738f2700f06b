package dev.sel4sim.vmm.arm.vm;

import dev.sel4sim.vmm.run.VmStop;
import dev.sel4sim.vmm.arm.decode.RegisterFile;
import dev.sel4sim.vmm.arm.mmu.AbortResolution;
import dev.sel4sim.vmm.arm.mmu.AbortResolver;
import dev.sel4sim.vmm.arm.mmu.AccessType;
import dev.sel4sim.vmm.arm.mmu.Fault;
import dev.sel4sim.vmm.arm.mmu.FaultKind;
import dev.sel4sim.vmm.arm.mmu.FaultSyndrome;
import dev.sel4sim.vmm.arm.mmu.Stage1Registers;
import dev.sel4sim.vmm.arm.mmu.Stage1Walker;
import dev.sel4sim.vmm.arm.mmu.Translation;
import dev.sel4sim.vmm.arm.mmu.WalkResult;
import dev.sel4sim.vmm.arm.vcpu.ExceptionEntry;
import dev.sel4sim.vmm.cpu.Arm64Cpu;
import dev.sel4sim.vmm.cpu.SysReg;

import java.util.OptionalLong;

/**
 * Aborts the CPU back end reports without FAR or ESR, explained by {@link AbortResolver}
 * (instruction decode and a stage-1 walk) and then either taken into the guest as hardware
 * would, or - when the guest's own tables allow the access and it lands outside RAM and
 * devices - treated as a stage-2 fault: logged, and answered with a synchronous external
 * abort, so only this VM's guest notices.
 */
final class GuestAborts implements AbortHandler {
    private static final int PA_BITS = 40;
    private static final int ZVA_BLOCK = 64;

    private final ArmVm vm;
    private final Stage1Walker walker;
    private final AbortResolver resolver;
    private long lastPc = -1;
    private int repeats;
    private long stage2Faults;

    GuestAborts(ArmVm vm) {
        this.vm = vm;
        this.walker = new Stage1Walker(pa -> vm.ram().contains(pa, 8) ? OptionalLong.of(vm.ram().read64(pa)) : OptionalLong.empty());
        this.resolver = new AbortResolver(walker);
    }

    private static Stage1Registers registers(Arm64Cpu cpu) {
        return new Stage1Registers(cpu.sysReg(SysReg.SCTLR_EL1), cpu.sysReg(SysReg.TCR_EL1), cpu.sysReg(SysReg.TTBR0_EL1),
                cpu.sysReg(SysReg.TTBR1_EL1), cpu.sysReg(SysReg.MAIR_EL1), PA_BITS);
    }

    @Override
    public VmStop dataAbort(ArmVcpu vcpu, long pc) {
        Arm64Cpu cpu = vcpu.cpu();
        long insn = cpu.instructionAt(pc);
        if (insn < 0) {
            return prefetchAbort(vcpu, pc);
        }
        RegisterFile regs = new RegisterFile() {
            @Override
            public long x(int n) {
                return cpu.x(n);
            }

            @Override
            public long sp() {
                return cpu.sp();
            }
        };
        long pstate = cpu.pstate();
        boolean fromEl0 = ((pstate >> 2) & 3) == 0;
        boolean pan = ((pstate >> 22) & 1) != 0;
        return switch (resolver.dataAbort((int) insn, regs, pc, registers(cpu), fromEl0, pan, ZVA_BLOCK)) {
            case AbortResolution.GuestAbort g -> take(cpu, pc, g.syndrome(), g.faultAddress());
            case AbortResolution.Stage1Allows s -> {
                long pa = s.translation().physicalAddress();
                if (!vm.isBacked(pa)) {
                    yield stage2(vcpu, pc, fromEl0, s.virtualAddress(), pa, s.access().isWrite());
                }
                yield retry(vcpu, pc, "data abort at pc 0x" + Long.toHexString(pc) + " on 0x"
                        + Long.toHexString(s.virtualAddress()) + " although the guest's tables map it");
            }
            case AbortResolution.Unresolved u -> new VmStop.Faulted(vcpu.id(), String.format(
                    "data abort at pc 0x%x from instruction 0x%08x: %s", pc, insn, u.reason()));
        };
    }

    @Override
    public VmStop prefetchAbort(ArmVcpu vcpu, long pc) {
        Arm64Cpu cpu = vcpu.cpu();
        boolean fromEl0 = ((cpu.pstate() >> 2) & 3) == 0;
        // The walk itself, not AbortResolver.instructionAbort: a fetch the tables allow needs its PA here.
        WalkResult w = walker.translate(registers(cpu), pc, AccessType.EXECUTE, fromEl0, false);
        return switch (w) {
            case Fault f -> take(cpu, pc, FaultSyndrome.instructionAbort(f, fromEl0), pc);
            case Translation t -> vm.isBacked(t.physicalAddress())
                    ? retry(vcpu, pc, "prefetch abort at 0x" + Long.toHexString(pc) + " although the guest's tables map it")
                    : new VmStop.Faulted(vcpu.id(), String.format("instruction fetch at 0x%x from guest-physical 0x%x,"
                            + " where the VM has no memory", pc, t.physicalAddress()));
            default -> new VmStop.Faulted(vcpu.id(), "prefetch abort at pc 0x" + Long.toHexString(pc) + ": " + w);
        };
    }

    private VmStop take(Arm64Cpu cpu, long pc, long esr, long far) {
        ExceptionEntry.take(cpu, ExceptionEntry.Kind.SYNC, pc, esr, far);
        repeats = 0;
        return null;
    }

    /** The walk found nothing wrong: the back end's TLB was stale. Flush it and run the instruction again. */
    private VmStop retry(ArmVcpu vcpu, long pc, String what) {
        if (pc == lastPc && ++repeats > 3) {
            return new VmStop.Faulted(vcpu.id(), what);
        }
        if (pc != lastPc) {
            repeats = 0;
        }
        lastPc = pc;
        vcpu.cpu().flushTlb();
        return null;
    }

    private VmStop stage2(ArmVcpu vcpu, long pc, boolean fromEl0, long va, long pa, boolean write) {
        stage2Faults++;
        if (stage2Faults <= 16) {
            vm.note(String.format("VM fault: VCPU %d pc 0x%x %s guest-physical 0x%x (va 0x%x): no RAM or device there;"
                    + " the guest gets an external abort", vcpu.id(), pc, write ? "wrote" : "read", pa, va));
        }
        Fault external = Fault.of(FaultKind.SYNC_EXTERNAL_ABORT, 0, false, write ? AccessType.WRITE : AccessType.READ, write);
        return take(vcpu.cpu(), pc, FaultSyndrome.dataAbort(external, fromEl0), va);
    }
}
