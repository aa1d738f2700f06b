package dev.sel4sim.vmm.cpu.unicorn;

/**
 * Unicorn 2.1's numbers for the AArch64 registers this binding uses (enum uc_arm64_reg).
 * The ordering is the library's, not the architecture's; the tests check the numbers
 * against guest code that reads the same registers.
 */
final class UcArm64Regs {
    static final int X29 = 1;
    static final int X30 = 2;
    static final int NZCV = 3;
    static final int SP = 4;
    static final int XZR = 7;
    static final int Q0 = 104;
    static final int X0 = 199;
    static final int PC = 260;
    static final int PSTATE = 265;
    static final int CP_REG = 290;

    private UcArm64Regs() {
    }

    static int x(int n) {
        if (n < 0 || n > 30) {
            throw new IllegalArgumentException("x" + n);
        }
        return n < 29 ? X0 + n : (n == 29 ? X29 : X30);
    }

    static int q(int n) {
        if (n < 0 || n > 31) {
            throw new IllegalArgumentException("q" + n);
        }
        return Q0 + n;
    }

    /** The architectural register number (0-30, 31 for XZR) of a Unicorn register id. */
    static int indexOf(int ucReg) {
        if (ucReg >= X0 && ucReg <= X0 + 28) {
            return ucReg - X0;
        }
        return switch (ucReg) {
            case X29 -> 29;
            case X30 -> 30;
            default -> 31;
        };
    }
}
