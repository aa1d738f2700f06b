package dev.sel4sim.vmm.cpu.unicorn;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Our binding to {@code libunicorn.so.2} (Unicorn 2.1.x) and to sel4sim's block-hook shim,
 * through the FFM API. One instance holds the downcall handles; engines are made by
 * {@link UnicornArm64#open}. The library is found by {@link #locate()}.
 */
public final class UnicornLibrary {
    static final int ARCH_ARM64 = 2;
    static final int MODE_ARM = 0;

    static final int HOOK_INTR = 1;
    static final int HOOK_INSN = 1 << 1;
    static final int HOOK_BLOCK = 1 << 3;
    static final int INS_MRS = 1;
    static final int INS_MSR = 2;
    static final int INS_SYS = 3;

    static final int CTL_IO_WRITE = 1;
    static final int CTL_CPU_MODEL = 7;
    static final int CTL_TB_REMOVE_CACHE = 9;
    static final int CTL_TB_FLUSH = 10;
    static final int CTL_TLB_FLUSH = 11;

    private static final Linker LINKER = Linker.nativeLinker();

    // The binding's calls, for the engine classes of every architecture (ARM here, x86 in its own package).
    public final MethodHandle open;
    public final MethodHandle close;
    public final MethodHandle memMapPtr;
    public final MethodHandle mmioMap;
    public final MethodHandle regRead;
    public final MethodHandle regWrite;
    public final MethodHandle emuStart;
    public final MethodHandle emuStop;
    public final MethodHandle hookAdd;
    public final MethodHandle hookAddInsn;
    public final MethodHandle ctl0;
    public final MethodHandle ctl1;
    public final MethodHandle ctl2;
    public final MethodHandle strerror;
    public final MethodHandle vmemRead;
    public final MethodHandle vmemWrite;
    public final MethodHandle vmemTranslate;
    public final MethodHandle memRead;
    public final MethodHandle memWrite;
    public final MethodHandle contextAlloc;
    public final MethodHandle contextSave;
    public final MethodHandle contextRestore;
    public final MethodHandle contextSize;
    public final MethodHandle contextFree;
    public final MethodHandle version;
    public final MemorySegment blockHook;
    /** The shim's block hook for x86 engines (instructions estimated from block bytes, EFLAGS.IF window). */
    public final MemorySegment x86BlockHook;
    final MemorySegment mrsHook;
    final MemorySegment msrHook;
    final MemorySegment sysHook;
    final long shimLayout;
    private final Path path;

    private UnicornLibrary(Path unicorn, Path shim) {
        this.path = unicorn;
        Arena global = Arena.global();
        SymbolLookup uc = SymbolLookup.libraryLookup(unicorn, global);
        SymbolLookup sh = SymbolLookup.libraryLookup(shim, global);
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
        ctl0 = down(uc, "uc_ctl", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), Linker.Option.firstVariadicArg(2));
        ctl1 = down(uc, "uc_ctl", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2));
        ctl2 = down(uc, "uc_ctl", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_LONG),
                Linker.Option.firstVariadicArg(2));
        vmemRead = down(uc, "uc_vmem_read", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
        vmemWrite = down(uc, "uc_vmem_write", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
        vmemTranslate = down(uc, "uc_vmem_translate", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS));
        memRead = down(uc, "uc_mem_read", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG));
        memWrite = down(uc, "uc_mem_write", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG));
        contextAlloc = down(uc, "uc_context_alloc", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        contextSave = down(uc, "uc_context_save", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        contextRestore = down(uc, "uc_context_restore", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        contextSize = down(uc, "uc_context_size", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
        contextFree = down(uc, "uc_context_free", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        strerror = down(uc, "uc_strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        version = down(uc, "uc_version", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        blockHook = sh.find("sel4sim_block_hook").orElseThrow(() -> new IllegalStateException(shim + " has no sel4sim_block_hook"));
        x86BlockHook = sh.find("sel4sim_x86_block_hook").orElseThrow(() -> new IllegalStateException(shim + " has no sel4sim_x86_block_hook: re-run scripts/setup.sh"));
        mrsHook = sh.find("sel4sim_mrs_hook").orElseThrow(() -> new IllegalStateException(shim + " has no sel4sim_mrs_hook: re-run scripts/setup.sh"));
        msrHook = sh.find("sel4sim_msr_hook").orElseThrow(() -> new IllegalStateException(shim + " has no sel4sim_msr_hook: re-run scripts/setup.sh"));
        sysHook = sh.find("sel4sim_sys_hook").orElseThrow(() -> new IllegalStateException(shim + " has no sel4sim_sys_hook: re-run scripts/setup.sh"));
        MethodHandle layout = down(sh, "sel4sim_shim_layout", FunctionDescriptor.of(JAVA_LONG));
        try {
            shimLayout = (long) layout.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        if (shimLayout != ShimState.EXPECTED_LAYOUT) {
            throw new IllegalStateException("the shim " + shim + " was built from another layout (" + shimLayout
                    + ", expected " + ShimState.EXPECTED_LAYOUT + "): re-run scripts/setup.sh");
        }
    }

    private static MethodHandle down(SymbolLookup lookup, String name, FunctionDescriptor fd, Linker.Option... options) {
        MemorySegment symbol = lookup.find(name).orElseThrow(() -> new IllegalStateException("libunicorn has no " + name));
        return LINKER.downcallHandle(symbol, fd, options);
    }

    /** Loads the two libraries from explicit paths. */
    public static UnicornLibrary load(Path unicorn, Path shim) {
        for (Path p : new Path[] {unicorn, shim}) {
            if (!Files.isReadable(p)) {
                throw new IllegalStateException(p + " is missing: run scripts/setup.sh (it fetches Unicorn and builds the shim)");
            }
        }
        return new UnicornLibrary(unicorn, shim);
    }

    /**
     * Finds the libraries: the system properties {@code sel4sim.unicorn} / {@code sel4sim.shim},
     * then the environment ({@code SEL4SIM_UNICORN} / {@code SEL4SIM_SHIM}, written by
     * scripts/setup.sh into .cache/env.sh), then {@code .cache/native/} in the working
     * directory or any directory above it.
     */
    public static UnicornLibrary locate() {
        Optional<Path> uc = configured("sel4sim.unicorn", "SEL4SIM_UNICORN");
        Optional<Path> sh = configured("sel4sim.shim", "SEL4SIM_SHIM");
        if (uc.isEmpty() || sh.isEmpty()) {
            Path native_ = findCacheNative().orElseThrow(() -> new IllegalStateException(
                    "Unicorn not found: run scripts/setup.sh, or set SEL4SIM_UNICORN and SEL4SIM_SHIM"));
            uc = uc.or(() -> Optional.of(native_.resolve("libunicorn.so.2")));
            sh = sh.or(() -> Optional.of(native_.resolve("libsel4sim-shim.so")));
        }
        return load(uc.get(), sh.get());
    }

    /** True when {@link #locate()} would find both files (tests skip otherwise). */
    public static boolean available() {
        try {
            Optional<Path> uc = configured("sel4sim.unicorn", "SEL4SIM_UNICORN");
            Optional<Path> sh = configured("sel4sim.shim", "SEL4SIM_SHIM");
            if (uc.isPresent() && sh.isPresent()) {
                return Files.isReadable(uc.get()) && Files.isReadable(sh.get());
            }
            return findCacheNative().isPresent();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static Optional<Path> configured(String property, String env) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            v = System.getenv(env);
        }
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(Path.of(v));
    }

    private static Optional<Path> findCacheNative() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path n = dir.resolve(".cache").resolve("native");
            if (Files.isReadable(n.resolve("libunicorn.so.2")) && Files.isReadable(n.resolve("libsel4sim-shim.so"))) {
                return Optional.of(n);
            }
            dir = dir.getParent();
        }
        return Optional.empty();
    }

    /** The library's version as "major.minor" from uc_version. */
    public String version() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment major = a.allocate(JAVA_INT);
            MemorySegment minor = a.allocate(JAVA_INT);
            int packed = (int) version.invokeExact(major, minor);
            return major.get(JAVA_INT, 0) + "." + minor.get(JAVA_INT, 0) + " (0x" + Integer.toHexString(packed) + ")";
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** The library's text for an error code. */
    public String error(int code) {
        try {
            MemorySegment s = (MemorySegment) strerror.invokeExact(code);
            return s.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "error " + code;
        }
    }

    @Override
    public String toString() {
        return "Unicorn at " + path;
    }
}
