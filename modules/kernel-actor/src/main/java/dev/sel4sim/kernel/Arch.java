package dev.sel4sim.kernel;

/** The seL4 kernel architectures whose object sizes the model follows. */
public enum Arch {
    AARCH64, X86_64;

    /** Maps a board's architecture name (aarch64, aarch32, x86_64) to the kernel's. */
    public static Arch of(String boardArch) {
        return switch (boardArch.toLowerCase()) {
            case "x86_64", "x86-64", "ia32", "x86" -> X86_64;
            default -> AARCH64;
        };
    }
}
