package dev.sel4sim.vmm.x86.cpu;

/**
 * The x86 registers a VMM reads and writes as plain numbers. In 32-bit mode the E-registers are
 * the whole register; the R-forms and R8-R15 exist only on a 64-bit engine. Segment registers are
 * {@link SegmentReg}, descriptor-table registers {@link TableRegister}.
 */
public enum X86Reg {
    EAX, EBX, ECX, EDX, ESI, EDI, EBP, ESP, EIP, EFLAGS,
    RAX, RBX, RCX, RDX, RSI, RDI, RBP, RSP, RIP, RFLAGS,
    R8, R9, R10, R11, R12, R13, R14, R15,
    CR0, CR2, CR3, CR4, CR8,
    FS_BASE, GS_BASE
}
