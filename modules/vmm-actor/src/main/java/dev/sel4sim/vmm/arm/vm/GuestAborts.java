package dev.sel4sim.vmm.arm.vm;

import dev.sel4sim.vmm.arm.decode.AccessAddress;
import dev.sel4sim.vmm.arm.decode.DecodeResult;
import dev.sel4sim.vmm.arm.decode.MemoryAccess;
import dev.sel4sim.vmm.arm.decode.MemoryAccessDecoder;
import dev.sel4sim.vmm.arm.decode.RegisterFile;
import dev.sel4sim.vmm.arm.mmu.AccessType;
import dev.sel4sim.vmm.arm.mmu.Fault;
import dev.sel4sim.vmm.arm.mmu.Stage1Registers;
import dev.sel4sim.vmm.arm.mmu.Stage1Walker;
import dev.sel4sim.vmm.arm.mmu.Translation;
import dev.sel4sim.vmm.arm.mmu.WalkResult;
import dev.sel4sim.vmm.arm.vcpu.ExceptionEntry;
import dev.sel4sim.vmm.cpu.Arm64Cpu;
import dev.sel4sim.vmm.cpu.SysReg;

import java.util.OptionalLong;

/**
 * Aborts the CPU back end reports without FAR or ESR. The faulting instruction is decoded
 * for the address it accessed and the guest's stage-1 tables are walked for the kind and
 * level of the fault, which is then taken into the guest as hardware would. An access whose
 * translation is fine but lands outside RAM and devices is a stage-2 fault: logged once per
 * address and answered with a synchronous external abort, so only this VM's guest notices.
 */
final class GuestAborts implements AbortHandler {
    private static final int PA_BITS = 40;
    private static final int DFSC_EXTERNAL = 0x10;

    private final ArmVm vm;
    private final Stage1Walker walker;
    private long lastPc = -1;
    private int repeats;
    private long stage2Faults;
    private long retries;

    /** Aborts whose walk found a valid mapping (stale back-end TLB), retried after a TLB flush. */
    long retries() {
        return retries;
    }

    GuestAborts(ArmVm vm) {
        this.vm = vm;
        this.walker = new Stage1Walker(pa -> vm.ram().contains(pa, 8) ? OptionalLong.of(vm.ram().read64(pa)) : OptionalLong.empty());
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
        DecodeResult d = MemoryAccessDecoder.decode((int) insn);
        if (!(d instanceof MemoryAccess a)) {
            return new VmStop.Faulted(vcpu.id(), String.format("data abort at pc 0x%x from instruction 0x%08x, which the VMM"
                    + " cannot decode as a memory access (%s)", pc, insn, d));
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
        int el = (int) ((pstate >> 2) & 3);
        long va = AccessAddress.faultAddress(a, regs, pc);
        long start = AccessAddress.effective(a, regs, pc);
        long last = start + Math.max(1, a.totalSize()) - 1;
        AccessType type = AccessType.of(a);
        boolean unprivileged = el == 0 || a.unprivileged();
        boolean pan = ((pstate >> 22) & 1) != 0;
        Stage1Registers r = registers(cpu);
        long page = start & ~0xfffL;
        for (long p = page; Long.compareUnsigned(p, last) <= 0; p += 0x1000) {
            long probe = p == page ? va : p;
            WalkResult w = walker.translate(r, probe, type, unprivileged, pan);
            switch (w) {
                case Fault f -> {
                    long iss = f.statusCode() | (f.writeNotRead() ? 1L << 6 : 0) | (type.isCacheMaintenance() ? 1L << 8 : 0);
                    ExceptionEntry.take(cpu, ExceptionEntry.Kind.SYNC, pc, ExceptionEntry.esr(el == 0 ? 0x24 : 0x25, iss), probe);
                    repeats = 0;
                    return null;
                }
                case Translation t -> {
                    long pa = t.physicalAddress();
                    if (!vm.isBacked(pa)) {
                        return stage2(vcpu, pc, el, probe, pa, a.isWrite());
                    }
                }
                default -> {
                    return new VmStop.Faulted(vcpu.id(), "data abort at pc 0x" + Long.toHexString(pc) + ": " + w);
                }
            }
            if (p + 0x1000 < p) {
                break;
            }
        }
        return retry(vcpu, pc, "data abort at pc 0x" + Long.toHexString(pc) + " on 0x" + Long.toHexString(va)
                + " although the guest's tables map it");
    }

    @Override
    public VmStop prefetchAbort(ArmVcpu vcpu, long pc) {
        Arm64Cpu cpu = vcpu.cpu();
        long pstate = cpu.pstate();
        int el = (int) ((pstate >> 2) & 3);
        WalkResult w = walker.translate(registers(cpu), pc, AccessType.EXECUTE, el == 0, false);
        switch (w) {
            case Fault f -> {
                ExceptionEntry.take(cpu, ExceptionEntry.Kind.SYNC, pc, ExceptionEntry.esr(el == 0 ? 0x20 : 0x21, f.statusCode()), pc);
                repeats = 0;
                return null;
            }
            case Translation t -> {
                if (!vm.isBacked(t.physicalAddress())) {
                    return new VmStop.Faulted(vcpu.id(), String.format("instruction fetch at 0x%x from guest-physical 0x%x,"
                            + " where the VM has no memory", pc, t.physicalAddress()));
                }
            }
            default -> {
                return new VmStop.Faulted(vcpu.id(), "prefetch abort at pc 0x" + Long.toHexString(pc) + ": " + w);
            }
        }
        return retry(vcpu, pc, "prefetch abort at 0x" + Long.toHexString(pc) + " although the guest's tables map it");
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
        retries++;
        vcpu.cpu().flushTlb();
        return null;
    }

    private VmStop stage2(ArmVcpu vcpu, long pc, int el, long va, long pa, boolean write) {
        stage2Faults++;
        if (stage2Faults <= 16) {
            vm.note(String.format("VM fault: VCPU %d pc 0x%x %s guest-physical 0x%x (va 0x%x): no RAM or device there;"
                    + " the guest gets an external abort", vcpu.id(), pc, write ? "wrote" : "read", pa, va));
        }
        long iss = DFSC_EXTERNAL | (write ? 1L << 6 : 0);
        ExceptionEntry.take(vcpu.cpu(), ExceptionEntry.Kind.SYNC, pc, ExceptionEntry.esr(el == 0 ? 0x24 : 0x25, iss), va);
        return null;
    }
}
