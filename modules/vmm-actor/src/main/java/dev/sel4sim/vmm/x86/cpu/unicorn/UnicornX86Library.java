package dev.sel4sim.vmm.x86.cpu.unicorn;

import dev.sel4sim.vmm.cpu.unicorn.UnicornLibrary;



/**
 * The downcalls an x86 engine needs, bound to the same {@code libunicorn.so.2} and shim that
 * {@link UnicornLibrary} found, plus the shim's x86 block hook.
 */
public final class UnicornX86Library {
    static final int ARCH_X86 = 4;
    static final int MODE_16 = 2;
    static final int MODE_32 = 4;
    static final int MODE_64 = 8;

    static final int HOOK_INTR = 1;
    static final int HOOK_INSN = 1 << 1;
    static final int HOOK_BLOCK = 1 << 3;
    static final int INS_CPUID = 113;
    static final int INS_IN = 218;
    static final int INS_OUT = 500;

    static final int ERR_READ_UNMAPPED = 6;
    static final int ERR_WRITE_UNMAPPED = 7;
    static final int ERR_FETCH_UNMAPPED = 8;
    static final int ERR_INSN_INVALID = 10;

    /** UC_CTL_WRITE(UC_CTL_UC_USE_EXITS, 1). */
    static final int CTL_USE_EXITS_WRITE = 4 | 1 << 26 | 1 << 30;

    static final int PROT_READ = 1;
    static final int PROT_ALL = 7;

    /** The binding to the library; its calls serve x86 engines as they serve ARM ones. */
    final UnicornLibrary calls;
    private ExceptionStateLayout exceptionLayout;

    private UnicornX86Library(UnicornLibrary base) {
        this.calls = base;
    }

    /** Binds the x86 calls of the library {@link UnicornLibrary#locate()} finds. */
    public static UnicornX86Library locate() {
        return new UnicornX86Library(UnicornLibrary.locate());
    }

    /** Binds the x86 calls of an already loaded library. */
    public static UnicornX86Library of(UnicornLibrary base) {
        return new UnicornX86Library(base);
    }

    /**
     * Where a saved context holds the engine's exception-in-flight number, probed once per library
     * binding (see {@link ExceptionStateLayout}); not recognised on an unknown library.
     */
    public synchronized ExceptionStateLayout exceptionLayout() {
        if (exceptionLayout == null) {
            exceptionLayout = ExceptionStateLayout.probe(this);
        }
        return exceptionLayout;
    }

    String error(int code) {
        return calls.error(code);
    }

    @Override
    public String toString() {
        return "x86 " + calls;
    }
}
