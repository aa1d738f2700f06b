package dev.sel4sim.vmm.x86.cpu;

/**
 * The CPUID a guest sees: a modest, consistent uniprocessor 686 (GenuineIntel, family 6 model 8,
 * a Pentium III's feature set with SSE2), so that what the guest believes matches what the engine
 * and the machine provide. Left out on purpose: TSC (the engine's RDTSC follows the host clock, which
 * breaks simulated time), APIC unless the machine has a local APIC, x2APIC, SEP (SYSENTER is not
 * hooked), PAE and PAT, MTRR and MCE/MCA (their MSRs are not modelled), the hypervisor bit, TSC
 * deadline, and every extended leaf (no NX, no long mode).
 */
public final class CpuidPolicy {
    private static final int MAX_BASIC_LEAF = 1;
    /** "GenuineIntel" in EBX, EDX, ECX order. */
    private static final long VENDOR_EBX = 0x756e_6547L;
    private static final long VENDOR_EDX = 0x4965_6e69L;
    private static final long VENDOR_ECX = 0x6c65_746eL;
    /** Family 6, model 8, stepping 3. */
    private static final long SIGNATURE = 0x0683;
    private static final long FPU = 1L;
    private static final long PSE = 1L << 3;
    private static final long MSR = 1L << 5;
    private static final long CX8 = 1L << 8;
    private static final long PGE = 1L << 13;
    private static final long CMOV = 1L << 15;
    private static final long MMX = 1L << 23;
    private static final long FXSR = 1L << 24;
    private static final long SSE = 1L << 25;
    private static final long SSE2 = 1L << 26;
    private static final long APIC = 1L << 9;
    public static final long FEATURES_EDX = FPU | PSE | MSR | CX8 | PGE | CMOV | MMX | FXSR | SSE | SSE2;

    private final boolean apic;

    /** The policy of a machine without a local APIC. */
    public CpuidPolicy() {
        this(false);
    }

    /** @param apic the machine has a local APIC (xAPIC at 0xFEE00000): CPUID.1:EDX.APIC says so */
    public CpuidPolicy(boolean apic) {
        this.apic = apic;
    }

    /** Answers the CPUID in progress (leaf in EAX, sub-leaf in ECX) by writing EAX-EDX. */
    public void answer(X86Cpu cpu) {
        long leaf = cpu.reg(X86Reg.EAX) & 0xffff_ffffL;
        long a = 0;
        long b = 0;
        long c = 0;
        long d = 0;
        if (leaf == 0) {
            a = MAX_BASIC_LEAF;
            b = VENDOR_EBX;
            c = VENDOR_ECX;
            d = VENDOR_EDX;
        } else if (leaf == 1) {
            a = SIGNATURE;
            d = FEATURES_EDX | (apic ? APIC : 0);
        }
        // Any other leaf, basic or extended, reads as zeros: nothing there.
        cpu.setReg(X86Reg.EAX, a);
        cpu.setReg(X86Reg.EBX, b);
        cpu.setReg(X86Reg.ECX, c);
        cpu.setReg(X86Reg.EDX, d);
    }
}
