package dev.sel4sim.vmm.x86.decode;

/** Assembler names of general-purpose registers, for logs and test tables. */
final class Registers {
    private static final String[] R64 = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi"};
    private static final String[] R32 = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"};
    private static final String[] R16 = {"ax", "cx", "dx", "bx", "sp", "bp", "si", "di"};
    private static final String[] R8 = {"al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil"};
    private static final String[] R8H = {"ah", "ch", "dh", "bh"};

    private Registers() {
    }

    static String name(Gpr r) {
        if (r.highByte()) {
            return R8H[r.number()];
        }
        int n = r.number();
        if (n >= 8) {
            return "r" + n + switch (r.size()) {
                case 1 -> "b";
                case 2 -> "w";
                case 4 -> "d";
                default -> "";
            };
        }
        return switch (r.size()) {
            case 1 -> R8[n];
            case 2 -> R16[n];
            case 4 -> R32[n];
            default -> R64[n];
        };
    }

    /** Name of a full-width address register, or "rip"; {@code size} is the address size. */
    static String addressName(int number, int size) {
        if (number == Address.RIP) {
            return size == 8 ? "rip" : "eip";
        }
        return name(new Gpr(number, size, false));
    }
}
