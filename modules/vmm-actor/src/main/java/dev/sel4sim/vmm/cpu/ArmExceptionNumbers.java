package dev.sel4sim.vmm.cpu;

/**
 * The exception numbers the Unicorn back end reports in {@link CpuHooks#exception}
 * (they are QEMU's internal ones, which Unicorn passes through unchanged).
 */
public final class ArmExceptionNumbers {
    public static final int UNDEFINED = 1;
    public static final int SVC = 2;
    public static final int PREFETCH_ABORT = 3;
    public static final int DATA_ABORT = 4;
    public static final int IRQ = 5;
    public static final int FIQ = 6;
    public static final int BREAKPOINT = 7;
    public static final int HVC = 11;
    public static final int HYP_TRAP = 12;
    public static final int SMC = 13;
    public static final int WFI = 0x10001;
    public static final int YIELD = 0x10004;

    private ArmExceptionNumbers() {
    }

    public static String name(int intno) {
        return switch (intno) {
            case UNDEFINED -> "undefined instruction";
            case SVC -> "SVC";
            case PREFETCH_ABORT -> "prefetch abort";
            case DATA_ABORT -> "data abort";
            case IRQ -> "IRQ";
            case FIQ -> "FIQ";
            case BREAKPOINT -> "breakpoint";
            case HVC -> "HVC";
            case HYP_TRAP -> "hyp trap";
            case SMC -> "SMC";
            case WFI -> "WFI";
            case YIELD -> "yield";
            default -> "exception " + intno;
        };
    }
}
