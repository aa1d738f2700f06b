package dev.sel4sim.vmm.cpu.unicorn;

import dev.sel4sim.vmm.cpu.Arm64Cpu;
import dev.sel4sim.vmm.cpu.CpuException;
import dev.sel4sim.vmm.cpu.CpuHooks;
import dev.sel4sim.vmm.cpu.MmioHandler;
import dev.sel4sim.vmm.cpu.SliceResult;
import dev.sel4sim.vmm.cpu.SysReg;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * An AArch64 VCPU on one Unicorn engine. Guest RAM given to several engines is shared
 * (mapped by pointer), so the VCPUs of a VM see one memory. The block-hook shim counts
 * instructions and ends slices; exceptions and system-register accesses go to
 * {@link CpuHooks} through FFM upcalls (a few tens of thousands per boot).
 */
public final class UnicornArm64 implements Arm64Cpu {
    /** Unicorn 2.1's CPU models for AArch64. */
    public enum Model { CORTEX_A57, CORTEX_A53, CORTEX_A72, MAX }

    private static final int PROT_ALL = 7;
    private static final int PROT_RW = 3;

    private final UnicornLibrary lib;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment uc;
    private final ShimState shim;
    private final CpuHooks hooks;
    private final int vcpu;
    private final MemorySegment scratch;
    private final MemorySegment cpReg;
    private final MemorySegment hookHandle;
    private boolean inHook;
    /** The thread inside emu_start, while a slice runs. */
    private volatile Thread runner;
    private boolean hookStopped;
    private boolean closed;

    private UnicornArm64(UnicornLibrary lib, int vcpu, Model model, CpuHooks hooks) {
        this(lib, vcpu, model, hooks, true);
    }

    private UnicornArm64(UnicornLibrary lib, int vcpu, Model model, CpuHooks hooks, boolean withHooks) {
        this.lib = lib;
        this.vcpu = vcpu;
        this.hooks = hooks;
        MemorySegment out = arena.allocate(ADDRESS);
        check(call(lib.open, UnicornLibrary.ARCH_ARM64, UnicornLibrary.MODE_ARM, out), "uc_open");
        uc = out.get(ADDRESS, 0);
        scratch = arena.allocate(16, 16);
        cpReg = arena.allocate(32, 8);
        hookHandle = arena.allocate(JAVA_LONG);
        shim = new ShimState(arena, UcArm64Regs.PSTATE);
        try {
            check((int) lib.ctl1.invokeExact(uc, ctlWrite(UnicornLibrary.CTL_CPU_MODEL, 1), model.ordinal()), "uc_ctl(cpu model)");
            // EL1 runs as non-secure AArch64 only with these set before the first run.
            setSysReg(SysReg.SCR_EL3, 0x501);
            setSysReg(SysReg.HCR_EL2, 1L << 31);
            if (!withHooks) {
                return;
            }
            check((int) lib.hookAdd.invokeExact(uc, hookHandle, UnicornLibrary.HOOK_BLOCK, lib.blockHook, shim.segment, 1L, 0L),
                    "uc_hook_add(block)");
            MethodHandles.Lookup l = MethodHandles.lookup();
            Linker linker = Linker.nativeLinker();
            MemorySegment intr = linker.upcallStub(
                    l.findVirtual(UnicornArm64.class, "onInterrupt",
                            MethodType.methodType(void.class, MemorySegment.class, int.class, MemorySegment.class)).bindTo(this),
                    FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT, ADDRESS), arena);
            check((int) lib.hookAdd.invokeExact(uc, hookHandle, UnicornLibrary.HOOK_INTR, intr, MemorySegment.NULL, 1L, 0L),
                    "uc_hook_add(interrupt)");
            // No hook for unmapped accesses: any memory hook halves the speed of guest code. The run
            // ends with UC_ERR_*_UNMAPPED instead, and the VMM decodes the instruction.
            // MRS/MSR go to the shim, which calls up into Java only for the registers the VMM emulates.
            MethodHandle h = l.findVirtual(UnicornArm64.class, "onSysInsn",
                    MethodType.methodType(int.class, MemorySegment.class, int.class, MemorySegment.class, int.class)).bindTo(this);
            shim.javaSysHook(linker.upcallStub(h, FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT), arena));
            check((int) lib.hookAddInsn.invokeExact(uc, hookHandle, UnicornLibrary.HOOK_INSN, lib.mrsHook, shim.segment, 1L, 0L,
                    UnicornLibrary.INS_MRS), "uc_hook_add(MRS)");
            check((int) lib.hookAddInsn.invokeExact(uc, hookHandle, UnicornLibrary.HOOK_INSN, lib.msrHook, shim.segment, 1L, 0L,
                    UnicornLibrary.INS_MSR), "uc_hook_add(MSR)");
            check((int) lib.hookAddInsn.invokeExact(uc, hookHandle, UnicornLibrary.HOOK_INSN, lib.sysHook, shim.segment, 1L, 0L,
                    UnicornLibrary.INS_SYS), "uc_hook_add(SYS)");
        } catch (CpuException e) {
            close();
            throw e;
        } catch (Throwable t) {
            close();
            throw new IllegalStateException(t);
        }
    }

    /** Opens a VCPU engine; {@code vcpu} is the index the MMIO handlers are told. */
    public static UnicornArm64 open(UnicornLibrary lib, int vcpu, Model model, CpuHooks hooks) {
        return new UnicornArm64(lib, vcpu, model, hooks);
    }

    /**
     * An engine without any hook: no instruction clock, no preemption, no exceptions reported.
     * Only for measuring what the shim's hooks cost (bench/guest.sh); a VM never uses it.
     */
    public static UnicornArm64 openWithoutHooks(UnicornLibrary lib, Model model) {
        return new UnicornArm64(lib, 0, model, new CpuHooks() {
            @Override
            public void exception(int intno) {
            }

            @Override
            public boolean systemRegister(boolean read, int rt, SysReg reg) {
                return false;
            }
        }, false);
    }

    /** Runs from the current PC until the guest reaches {@code endAddress} (for engines without hooks). */
    public void runUntil(long endAddress) {
        long pc = pc();
        check(invoke(() -> (int) lib.emuStart.invokeExact(uc, pc, endAddress, 0L, 0L)), "uc_emu_start");
    }

    private static int ctlWrite(int type, int nargs) {
        return type | (nargs << 26) | (UnicornLibrary.CTL_IO_WRITE << 30);
    }

    private static int call(MethodHandle h, int a, int b, MemorySegment c) {
        try {
            return (int) h.invokeExact(a, b, c);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** A downcall whose only failure is the library's error code: FFM's own failures become unchecked. */
    @FunctionalInterface
    private interface NativeCall {
        int call() throws Throwable;
    }

    private static int invoke(NativeCall c) {
        try {
            return c.call();
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** As {@link #check(int, String)}, naming the call's argument only when it failed (register accesses are frequent). */
    private void check(int err, String call, Object argument) {
        if (err != 0) {
            check(err, call + "(" + argument + ")");
        }
    }

    private void check(int err, String what) {
        if (err != 0) {
            throw new CpuException(what + ": " + lib.error(err), err);
        }
    }

    // ---- upcalls -------------------------------------------------------------------

    private void onInterrupt(MemorySegment engine, int intno, MemorySegment user) {
        inHook = true;
        try {
            hooks.exception(intno);
        } catch (Throwable t) {
            requestStop();
            throw t;
        } finally {
            inHook = false;
        }
    }

    private int onSysInsn(MemorySegment engine, int reg, MemorySegment cp, int readFlag) {
        boolean read = readFlag != 0;
        MemorySegment c = cp.reinterpret(32);
        SysReg r = new SysReg(c.get(JAVA_INT, 8), c.get(JAVA_INT, 12), c.get(JAVA_INT, 0), c.get(JAVA_INT, 4), c.get(JAVA_INT, 16));
        inHook = true;
        try {
            return hooks.systemRegister(read, UcArm64Regs.indexOf(reg), r) ? 1 : 0;
        } finally {
            inHook = false;
        }
    }


    // ---- memory --------------------------------------------------------------------

    @Override
    public void mapRam(long guestPhys, MemorySegment memory, boolean executable) {
        int perms = executable ? PROT_ALL : PROT_RW;
        check(invoke(() -> (int) lib.memMapPtr.invokeExact(uc, guestPhys, memory.byteSize(), perms, memory)),
                "uc_mem_map_ptr(0x" + Long.toHexString(guestPhys) + ")");
    }

    @Override
    public void mapMmio(long guestPhys, long size, MmioHandler handler) {
        try {
            Linker linker = Linker.nativeLinker();
            MethodHandles.Lookup l = MethodHandles.lookup();
            MethodHandle read = l.findStatic(UnicornArm64.class, "mmioRead",
                    MethodType.methodType(long.class, MmioHandler.class, int.class, MemorySegment.class, long.class, int.class,
                            MemorySegment.class)).bindTo(handler);
            read = MethodHandles.insertArguments(read, 0, vcpu);
            MethodHandle write = l.findStatic(UnicornArm64.class, "mmioWrite",
                    MethodType.methodType(void.class, MmioHandler.class, int.class, MemorySegment.class, long.class, int.class,
                            long.class, MemorySegment.class)).bindTo(handler);
            write = MethodHandles.insertArguments(write, 0, vcpu);
            MemorySegment r = linker.upcallStub(read, FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS), arena);
            MemorySegment w = linker.upcallStub(write, FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, JAVA_INT, JAVA_LONG, ADDRESS), arena);
            check((int) lib.mmioMap.invokeExact(uc, guestPhys, size, r, MemorySegment.NULL, w, MemorySegment.NULL),
                    "uc_mmio_map(0x" + Long.toHexString(guestPhys) + ")");
        } catch (CpuException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static long mmioRead(MmioHandler h, int vcpu, MemorySegment engine, long offset, int size, MemorySegment user) {
        return h.read(vcpu, offset, size);
    }

    private static void mmioWrite(MmioHandler h, int vcpu, MemorySegment engine, long offset, int size, long value,
                                  MemorySegment user) {
        h.write(vcpu, offset, size, value);
    }

    @Override
    public long translate(long va, boolean fetch) {
        try {
            int err = (int) lib.vmemTranslate.invokeExact(uc, va, fetch ? 4 : 1, scratch);
            return err == 0 ? scratch.get(JAVA_LONG, 0) : -1;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public long instructionAt(long va) {
        try {
            int err = (int) lib.vmemRead.invokeExact(uc, va, 4, scratch, 4L);
            return err == 0 ? Integer.toUnsignedLong(scratch.get(JAVA_INT, 0)) : -1;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    // ---- registers -----------------------------------------------------------------

    private long readReg(int id) {
        check(invoke(() -> (int) lib.regRead.invokeExact(uc, id, scratch)), "uc_reg_read", id);
        return scratch.get(JAVA_LONG, 0);
    }

    private void writeReg(int id, long value) {
        scratch.set(JAVA_LONG, 0, value);
        check(invoke(() -> (int) lib.regWrite.invokeExact(uc, id, scratch)), "uc_reg_write", id);
    }

    @Override
    public long x(int n) {
        return n == 31 ? 0 : readReg(UcArm64Regs.x(n));
    }

    @Override
    public void setX(int n, long value) {
        if (n != 31) {
            writeReg(UcArm64Regs.x(n), value);
        }
    }

    @Override
    public long pc() {
        return readReg(UcArm64Regs.PC);
    }

    @Override
    public void setPc(long value) {
        writeReg(UcArm64Regs.PC, value);
    }

    @Override
    public long sp() {
        return readReg(UcArm64Regs.SP);
    }

    @Override
    public void setSp(long value) {
        writeReg(UcArm64Regs.SP, value);
    }

    @Override
    public long pstate() {
        // Unicorn writes PSTATE as 32 bits: the rest of the buffer is whatever was there before.
        return readReg(UcArm64Regs.PSTATE) & 0xffff_ffffL;
    }

    @Override
    public void setPstate(long value) {
        writeReg(UcArm64Regs.PSTATE, value);
    }

    @Override
    public long sysReg(SysReg reg) {
        fillCp(reg, 0);
        check(invoke(() -> (int) lib.regRead.invokeExact(uc, UcArm64Regs.CP_REG, cpReg)), "uc_reg_read", reg);
        return cpReg.get(JAVA_LONG, 24);
    }

    @Override
    public void setSysReg(SysReg reg, long value) {
        fillCp(reg, value);
        check(invoke(() -> (int) lib.regWrite.invokeExact(uc, UcArm64Regs.CP_REG, cpReg)), "uc_reg_write", reg);
    }

    private void fillCp(SysReg r, long value) {
        cpReg.set(JAVA_INT, 0, r.crn());
        cpReg.set(JAVA_INT, 4, r.crm());
        cpReg.set(JAVA_INT, 8, r.op0());
        cpReg.set(JAVA_INT, 12, r.op1());
        cpReg.set(JAVA_INT, 16, r.op2());
        cpReg.set(JAVA_LONG, 24, value);
    }

    @Override
    public long[] vreg(int n) {
        readReg(UcArm64Regs.q(n));
        return new long[] {scratch.get(JAVA_LONG, 0), scratch.get(JAVA_LONG, 8)};
    }

    @Override
    public void setVreg(int n, long low, long high) {
        scratch.set(JAVA_LONG, 8, high);
        writeReg(UcArm64Regs.q(n), low);
    }

    // ---- execution -----------------------------------------------------------------

    @Override
    public SliceResult run(long maxInstructions) {
        long start = shim.icount();
        shim.deadline(start + Math.max(1, maxInstructions));
        shim.reason(ShimState.REASON_NONE);
        shim.clearHintPending();
        hookStopped = false;
        long pc = pc();
        int err;
        runner = Thread.currentThread();
        try {
            err = (int) lib.emuStart.invokeExact(uc, pc, -1L, 0L, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        } finally {
            runner = null;
        }
        long executed = shim.icount() - start;
        if (err != 0) {
            SliceResult.Unmapped kind = switch (err) {
                case 6 -> SliceResult.Unmapped.READ;
                case 7 -> SliceResult.Unmapped.WRITE;
                case 8 -> SliceResult.Unmapped.FETCH;
                default -> SliceResult.Unmapped.NONE;
            };
            return new SliceResult(executed, SliceResult.Reason.ERROR, lib.error(err) + " at pc 0x" + Long.toHexString(pc()), kind);
        }
        long r = shim.reason();
        SliceResult.Reason reason;
        if (r == ShimState.REASON_DEADLINE) {
            reason = SliceResult.Reason.DEADLINE;
        } else if (r == ShimState.REASON_IRQ_WINDOW) {
            reason = SliceResult.Reason.IRQ_WINDOW;
        } else if (r == ShimState.REASON_HINT) {
            reason = SliceResult.Reason.HINT;
        } else if (hookStopped || shim.stopRequested()) {
            reason = SliceResult.Reason.REQUESTED;
            shim.clearStop();
        } else {
            // Unicorn reports WFI by ending the run with the PC past it, without a hook.
            reason = SliceResult.Reason.HALTED;
        }
        return new SliceResult(executed, reason, null, SliceResult.Unmapped.NONE);
    }

    @Override
    public void requestStop() {
        shim.requestStop();
        // Stopping the engine directly is clean only from its own thread inside a hook; from any
        // other thread the shim's flag ends the slice at the next block (DESIGN 1a).
        if (inHook && Thread.currentThread() == runner) {
            hookStopped = true;
            try {
                int ignored = (int) lib.emuStop.invokeExact(uc);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }
    }

    @Override
    public void setIrqWindow(boolean waiting) {
        shim.irqWindow(waiting);
    }

    @Override
    public long instructions() {
        return shim.icount();
    }

    @Override
    public long tlbInvalidations() {
        return shim.tlbi();
    }

    @Override
    public long codeInvalidations() {
        return shim.ic();
    }

    /** MRS/MSR the shim let run natively, without an upcall (statistics). */
    public long systemRegistersPassedThrough() {
        return shim.sysFiltered();
    }

    /** Translated blocks entered so far (statistics). */
    public long blocks() {
        return shim.blocks();
    }

    @Override
    public void invalidateCode(long guestPhys, long size) {
        check(invoke(() -> (int) lib.ctl2.invokeExact(uc, ctlWrite(UnicornLibrary.CTL_TB_REMOVE_CACHE, 2), guestPhys,
                guestPhys + size)), "uc_ctl(remove cache)");
        shim.ageHints();
    }

    @Override
    public void flushTlb() {
        control(UnicornLibrary.CTL_TLB_FLUSH, "uc_ctl(tlb flush)");
    }

    @Override
    public void flushAll() {
        control(UnicornLibrary.CTL_TB_FLUSH, "uc_ctl(tb flush)");
        control(UnicornLibrary.CTL_TLB_FLUSH, "uc_ctl(tlb flush)");
        shim.ageHints();
    }

    @Override
    public void yieldOnHint(boolean on) {
        shim.yieldOnHint(on);
    }

    @Override
    public long hintStops() {
        return shim.hintStops();
    }

    /** A uc_ctl write without arguments. */
    private void control(int type, String what) {
        check(invoke(() -> (int) lib.ctl0.invokeExact(uc, ctlWrite(type, 0))), what);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (uc != null && !uc.equals(MemorySegment.NULL)) {
                int ignored = (int) lib.close.invokeExact(uc);
            }
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        } finally {
            arena.close();
        }
    }
}
