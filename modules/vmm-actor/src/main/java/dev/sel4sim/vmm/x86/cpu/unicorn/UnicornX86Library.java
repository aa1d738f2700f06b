package dev.sel4sim.vmm.x86.cpu.unicorn;

import dev.sel4sim.vmm.cpu.unicorn.UnicornLibrary;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

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

    private static final Linker LINKER = Linker.nativeLinker();

    final MethodHandle open;
    final MethodHandle close;
    final MethodHandle memMapPtr;
    final MethodHandle mmioMap;
    final MethodHandle regRead;
    final MethodHandle regWrite;
    final MethodHandle emuStart;
    final MethodHandle emuStop;
    final MethodHandle hookAdd;
    final MethodHandle hookAddInsn;
    final MethodHandle ctl1;
    final MethodHandle strerror;
    final MethodHandle vmemRead;
    final MethodHandle vmemWrite;
    final MethodHandle memRead;
    final MethodHandle memWrite;
    final MethodHandle contextAlloc;
    final MethodHandle contextSave;
    final MethodHandle contextRestore;
    final MethodHandle contextSize;
    final MethodHandle contextFree;
    final MemorySegment blockHook;
    private final UnicornLibrary base;
    private ExceptionStateLayout exceptionLayout;

    private UnicornX86Library(UnicornLibrary base) {
        this.base = base;
        Arena global = Arena.global();
        SymbolLookup uc = SymbolLookup.libraryLookup(base.unicornPath(), global);
        SymbolLookup sh = SymbolLookup.libraryLookup(base.shimPath(), global);
        open = down(uc, "uc_open", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
        close = down(uc, "uc_close", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        memMapPtr = down(uc, "uc_mem_map_ptr", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS));
        mmioMap = down(uc, "uc_mmio_map",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        regRead = down(uc, "uc_reg_read", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
        regWrite = down(uc, "uc_reg_write", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
        emuStart = down(uc, "uc_emu_start", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG));
        emuStop = down(uc, "uc_emu_stop", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        FunctionDescriptor hook = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG);
        hookAdd = down(uc, "uc_hook_add", hook, Linker.Option.firstVariadicArg(7));
        hookAddInsn = down(uc, "uc_hook_add", hook.appendArgumentLayouts(JAVA_INT), Linker.Option.firstVariadicArg(7));
        ctl1 = down(uc, "uc_ctl", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2));
        strerror = down(uc, "uc_strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        vmemRead = down(uc, "uc_vmem_read", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
        vmemWrite = down(uc, "uc_vmem_write", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
        memRead = down(uc, "uc_mem_read", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG));
        memWrite = down(uc, "uc_mem_write", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG));
        contextAlloc = down(uc, "uc_context_alloc", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        contextSave = down(uc, "uc_context_save", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        contextRestore = down(uc, "uc_context_restore", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        contextSize = down(uc, "uc_context_size", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
        contextFree = down(uc, "uc_context_free", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        blockHook = sh.find("sel4sim_x86_block_hook").orElseThrow(() -> new IllegalStateException(
                base.shimPath() + " has no sel4sim_x86_block_hook: re-run scripts/setup.sh"));
    }

    private static MethodHandle down(SymbolLookup lookup, String name, FunctionDescriptor fd, Linker.Option... options) {
        MemorySegment symbol = lookup.find(name).orElseThrow(() -> new IllegalStateException("libunicorn has no " + name));
        return LINKER.downcallHandle(symbol, fd, options);
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
        try {
            MemorySegment s = (MemorySegment) strerror.invokeExact(code);
            return s.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "error " + code;
        }
    }

    @Override
    public String toString() {
        return "x86 " + base;
    }
}
