package dev.sel4sim.vmm.x86.cpu.unicorn;

import dev.sel4sim.vmm.x86.cpu.SegmentReg;
import dev.sel4sim.vmm.x86.cpu.X86Reg;

/** Unicorn 2.1's register numbers (enum uc_x86_reg) for the registers the VMM uses. */
final class UcX86Regs {
    static final int EFLAGS = 25;
    static final int EIP = 26;
    static final int RIP = 41;
    static final int IDTR = 242;
    static final int GDTR = 243;
    static final int LDTR = 244;
    static final int TR = 245;
    static final int MSR = 248;

    private UcX86Regs() {
    }

    static int of(X86Reg reg) {
        return switch (reg) {
            case EAX -> 19;
            case EBP -> 20;
            case EBX -> 21;
            case ECX -> 22;
            case EDI -> 23;
            case EDX -> 24;
            case EFLAGS -> EFLAGS;
            case EIP -> EIP;
            case ESI -> 29;
            case ESP -> 30;
            case RAX -> 35;
            case RBP -> 36;
            case RBX -> 37;
            case RCX -> 38;
            case RDI -> 39;
            case RDX -> 40;
            case RIP -> RIP;
            case RSI -> 43;
            case RSP -> 44;
            case CR0 -> 50;
            case CR2 -> 52;
            case CR3 -> 53;
            case CR4 -> 54;
            case CR8 -> 58;
            case R8 -> 106;
            case R9 -> 107;
            case R10 -> 108;
            case R11 -> 109;
            case R12 -> 110;
            case R13 -> 111;
            case R14 -> 112;
            case R15 -> 113;
            case FS_BASE -> 250;
            case GS_BASE -> 251;
            case RFLAGS -> 253;
        };
    }

    static int of(SegmentReg reg) {
        return switch (reg) {
            case CS -> 11;
            case DS -> 17;
            case ES -> 28;
            case FS -> 32;
            case GS -> 33;
            case SS -> 49;
            case LDTR -> LDTR;
            case TR -> TR;
        };
    }
}
