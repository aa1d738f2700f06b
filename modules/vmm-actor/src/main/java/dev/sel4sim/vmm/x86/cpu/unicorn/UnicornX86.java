package dev.sel4sim.vmm.x86.cpu.unicorn;

import dev.sel4sim.vmm.cpu.unicorn.ShimState;

import dev.sel4sim.vmm.cpu.CpuException;
import dev.sel4sim.vmm.cpu.MmioHandler;
import dev.sel4sim.vmm.x86.cpu.SegmentDescriptor;
import dev.sel4sim.vmm.x86.cpu.SegmentReg;
import dev.sel4sim.vmm.x86.cpu.SegmentState;
import dev.sel4sim.vmm.x86.cpu.TableRegister;
import dev.sel4sim.vmm.x86.cpu.X86Cpu;
import dev.sel4sim.vmm.x86.cpu.X86Hooks;
import dev.sel4sim.vmm.x86.cpu.X86Reg;
import dev.sel4sim.vmm.x86.cpu.X86SliceResult;

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
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * An x86 VCPU on one Unicorn engine. The shim's block hook counts instructions and ends slices
 * (deadline, stop request, EFLAGS.IF window); IN, OUT, CPUID and interrupts go to
 * {@link X86Hooks} through FFM upcalls. Unicorn ends a run at HLT with EIP past it; an undefined
 * opcode ends it with an error and EIP at the instruction, without reaching the interrupt hook.
 */
public final class UnicornX86 implements X86Cpu {
    /** The engine's starting mode: real-mode code, 32-bit protected mode, or long mode. */
    public enum Mode { REAL16, PROTECTED32, LONG64 }

    private static final long CR0_PE = 1;
    private static final long CR0_PG = 1L << 31;
    private static final long CR4_PSE = 1L << 4;
    private static final long CR4_PAE = 1L << 5;

    private final UnicornX86Library lib;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment uc;
    private final ShimState shim;
    private final X86Hooks hooks;
    private final Mode mode;
    private final int vcpu;
    private final MemorySegment scratch;
    private final MemorySegment mmr;
    private final MemorySegment hookHandle;
    /** The thread inside emu_start, while a slice runs. */
    private volatile Thread runner;
    private boolean inHook;
    private boolean hookStopped;
    private boolean closed;
    /** A saved context buffer (uc_context *), allocated on first use; NULL until then. */
    private MemorySegment context = MemorySegment.NULL;

    private UnicornX86(UnicornX86Library lib, int vcpu, Mode mode, X86Hooks hooks) {
        this.lib = lib;
        this.vcpu = vcpu;
        this.mode = mode;
        this.hooks = hooks;
        MemorySegment out = arena.allocate(ADDRESS);
        int ucMode = switch (mode) {
            case REAL16 -> UnicornX86Library.MODE_16;
            case PROTECTED32 -> UnicornX86Library.MODE_32;
            case LONG64 -> UnicornX86Library.MODE_64;
        };
        int err;
        try {
            err = (int) lib.calls.open.invokeExact(UnicornX86Library.ARCH_X86, ucMode, out);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        check(err, "uc_open(x86 " + mode + ")");
        uc = out.get(ADDRESS, 0);
        scratch = arena.allocate(64, 16);
        mmr = arena.allocate(24, 8);
        hookHandle = arena.allocate(JAVA_LONG);
        shim = new ShimState(arena, UcX86Regs.EFLAGS);
        try {
            // Multiple-exit mode with no exits: slices end only through the shim. In the default mode
            // the engine invalidates the code at the `until` address after every run, a translation
            // of linear address 0xffff_fffe that, with paging on, raises a #PF nobody sees: it
            // clobbers CR2 and the engine's exception-in-flight record (a later fault becomes #DF).
            check((int) lib.calls.ctl1.invokeExact(uc, UnicornX86Library.CTL_USE_EXITS_WRITE, 1), "uc_ctl(use exits)");
            check((int) lib.calls.hookAdd.invokeExact(uc, hookHandle, UnicornX86Library.HOOK_BLOCK, lib.calls.x86BlockHook, shim.segment,
                    1L, 0L), "uc_hook_add(block)");
            MethodHandles.Lookup l = MethodHandles.lookup();
            Linker linker = Linker.nativeLinker();
            MemorySegment intr = linker.upcallStub(l.findVirtual(UnicornX86.class, "onInterrupt",
                            MethodType.methodType(void.class, MemorySegment.class, int.class, MemorySegment.class)).bindTo(this),
                    FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT, ADDRESS), arena);
            check((int) lib.calls.hookAdd.invokeExact(uc, hookHandle, UnicornX86Library.HOOK_INTR, intr, MemorySegment.NULL, 1L, 0L),
                    "uc_hook_add(interrupt)");
            MemorySegment in = linker.upcallStub(l.findVirtual(UnicornX86.class, "onIn",
                            MethodType.methodType(int.class, MemorySegment.class, int.class, int.class, MemorySegment.class)).bindTo(this),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS), arena);
            check((int) lib.calls.hookAddInsn.invokeExact(uc, hookHandle, UnicornX86Library.HOOK_INSN, in, MemorySegment.NULL, 1L, 0L,
                    UnicornX86Library.INS_IN), "uc_hook_add(IN)");
            MemorySegment outHook = linker.upcallStub(l.findVirtual(UnicornX86.class, "onOut",
                            MethodType.methodType(void.class, MemorySegment.class, int.class, int.class, int.class,
                                    MemorySegment.class)).bindTo(this),
                    FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS), arena);
            check((int) lib.calls.hookAddInsn.invokeExact(uc, hookHandle, UnicornX86Library.HOOK_INSN, outHook, MemorySegment.NULL, 1L,
                    0L, UnicornX86Library.INS_OUT), "uc_hook_add(OUT)");
            MemorySegment cpuid = linker.upcallStub(l.findVirtual(UnicornX86.class, "onCpuid",
                            MethodType.methodType(int.class, MemorySegment.class, MemorySegment.class)).bindTo(this),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS), arena);
            check((int) lib.calls.hookAddInsn.invokeExact(uc, hookHandle, UnicornX86Library.HOOK_INSN, cpuid, MemorySegment.NULL, 1L,
                    0L, UnicornX86Library.INS_CPUID), "uc_hook_add(CPUID)");
        } catch (CpuException e) {
            close();
            throw e;
        } catch (Throwable t) {
            close();
            throw new IllegalStateException(t);
        }
    }

    /** Opens an x86 engine; {@code vcpu} is the index MMIO handlers are told. */
    public static UnicornX86 open(UnicornX86Library lib, int vcpu, Mode mode, X86Hooks hooks) {
        return new UnicornX86(lib, vcpu, mode, hooks);
    }

    public Mode mode() {
        return mode;
    }

    private void check(int err, String what) {
        if (err != 0) {
            throw new CpuException(what + ": " + lib.error(err), err);
        }
    }

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

    // ---- upcalls -------------------------------------------------------------------

    private void onInterrupt(MemorySegment engine, int intno, MemorySegment user) {
        inHook = true;
        try {
            hooks.interrupt(intno);
        } catch (Throwable t) {
            // An exception must not unwind through native frames: stop and let the slice report it.
            requestStop();
        } finally {
            inHook = false;
        }
    }

    private int onIn(MemorySegment engine, int port, int size, MemorySegment user) {
        inHook = true;
        try {
            return hooks.in(port & 0xffff, size);
        } catch (Throwable t) {
            requestStop();
            return -1;
        } finally {
            inHook = false;
        }
    }

    private void onOut(MemorySegment engine, int port, int size, int value, MemorySegment user) {
        inHook = true;
        try {
            hooks.out(port & 0xffff, size, value);
        } catch (Throwable t) {
            requestStop();
        } finally {
            inHook = false;
        }
    }

    private int onCpuid(MemorySegment engine, MemorySegment user) {
        inHook = true;
        try {
            return hooks.cpuid(this) ? 1 : 0;
        } catch (Throwable t) {
            requestStop();
            return 0;
        } finally {
            inHook = false;
        }
    }

    // ---- memory --------------------------------------------------------------------

    @Override
    public void mapRam(long guestPhys, MemorySegment memory) {
        check(invoke(() -> (int) lib.calls.memMapPtr.invokeExact(uc, guestPhys, memory.byteSize(), UnicornX86Library.PROT_ALL,
                memory)), "uc_mem_map_ptr(0x" + Long.toHexString(guestPhys) + ")");
    }

    @Override
    public void mapMmio(long guestPhys, long size, MmioHandler handler) {
        try {
            Linker linker = Linker.nativeLinker();
            MethodHandles.Lookup l = MethodHandles.lookup();
            MethodHandle read = l.findStatic(UnicornX86.class, "mmioRead", MethodType.methodType(long.class, MmioHandler.class,
                    int.class, MemorySegment.class, long.class, int.class, MemorySegment.class)).bindTo(handler);
            read = MethodHandles.insertArguments(read, 0, vcpu);
            MethodHandle write = l.findStatic(UnicornX86.class, "mmioWrite", MethodType.methodType(void.class,
                    MmioHandler.class, int.class, MemorySegment.class, long.class, int.class, long.class,
                    MemorySegment.class)).bindTo(handler);
            write = MethodHandles.insertArguments(write, 0, vcpu);
            MemorySegment r = linker.upcallStub(read, FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS), arena);
            MemorySegment w = linker.upcallStub(write, FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, JAVA_INT, JAVA_LONG, ADDRESS),
                    arena);
            check((int) lib.calls.mmioMap.invokeExact(uc, guestPhys, size, r, MemorySegment.NULL, w, MemorySegment.NULL),
                    "uc_mmio_map(0x" + Long.toHexString(guestPhys) + ")");
        } catch (CpuException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static long mmioRead(MmioHandler h, int vcpu, MemorySegment engine, long offset, int size, MemorySegment user) {
        try {
            return h.read(vcpu, offset, size);
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static void mmioWrite(MmioHandler h, int vcpu, MemorySegment engine, long offset, int size, long value,
                                  MemorySegment user) {
        try {
            h.write(vcpu, offset, size, value);
        } catch (RuntimeException e) {
            // A device's own failure must not unwind through the engine.
        }
    }

    /**
     * Reads at a linear address as the processor does for descriptor tables and the stacks of an
     * interrupt: with supervisor rights, whatever the current privilege level (the engine's own
     * virtual read checks CPL 3's rights and cannot see the IDT or the kernel stack from user mode).
     */
    @Override
    public byte[] readLinear(long linear, int length) {
        if (length < 0 || length > 4096) {
            throw new IllegalArgumentException("read of " + length + " bytes");
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(Math.max(1, length));
            if (!accessLinear(linear, buf, false)) {
                return null;
            }
            return buf.asSlice(0, length).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        }
    }

    @Override
    public boolean writeLinear(long linear, byte[] data) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(Math.max(1, data.length));
            MemorySegment.copy(data, 0, buf, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, data.length);
            return accessLinear(linear, buf, true);
        }
    }

    private boolean accessLinear(long linear, MemorySegment buf, boolean write) {
        long cr0 = reg(X86Reg.CR0);
        long cr4 = reg(X86Reg.CR4);
        if ((cr0 & CR0_PG) != 0 && (cr4 & CR4_PAE) != 0) {
            // PAE and long-mode tables are left to the engine's walk (it uses the current CPL).
            MemorySegment b = buf;
            int err = write ? invoke(() -> (int) lib.calls.vmemWrite.invokeExact(uc, linear, UnicornX86Library.PROT_READ, b, b.byteSize()))
                    : invoke(() -> (int) lib.calls.vmemRead.invokeExact(uc, linear, UnicornX86Library.PROT_READ, b, b.byteSize()));
            return err == 0;
        }
        long cr3 = reg(X86Reg.CR3);
        long done = 0;
        while (done < buf.byteSize()) {
            long lin = (linear + done) & 0xffff_ffffL;
            long chunk = Math.min(buf.byteSize() - done, 4096 - (lin & 0xfff));
            long phys = (cr0 & CR0_PG) == 0 ? lin : translate(cr3, (cr4 & CR4_PSE) != 0, lin);
            if (phys < 0) {
                return false;
            }
            MemorySegment part = buf.asSlice(done, chunk);
            long p = phys;
            int err = write ? invoke(() -> (int) lib.calls.memWrite.invokeExact(uc, p, part, part.byteSize()))
                    : invoke(() -> (int) lib.calls.memRead.invokeExact(uc, p, part, part.byteSize()));
            if (err != 0) {
                return false;
            }
            done += chunk;
        }
        return true;
    }

    /** The physical address of a linear one through 32-bit page tables; -1 when not present. */
    private long translate(long cr3, boolean pse, long linear) {
        long pde = physical32((cr3 & 0xffff_f000L) + ((linear >>> 22) & 0x3ff) * 4);
        if (pde < 0 || (pde & 1) == 0) {
            return -1;
        }
        if (pse && (pde & 0x80) != 0) {
            return (pde & 0xffc0_0000L) | (linear & 0x3f_ffffL);
        }
        long pte = physical32((pde & 0xffff_f000L) + ((linear >>> 12) & 0x3ff) * 4);
        if (pte < 0 || (pte & 1) == 0) {
            return -1;
        }
        return (pte & 0xffff_f000L) | (linear & 0xfff);
    }

    private long physical32(long address) {
        MemorySegment s = scratch.asSlice(32, 8);
        int err = invoke(() -> (int) lib.calls.memRead.invokeExact(uc, address, s, 4L));
        return err == 0 ? Integer.toUnsignedLong(s.get(JAVA_INT, 0)) : -1;
    }

    // ---- registers -----------------------------------------------------------------

    private long readReg(int id) {
        scratch.set(JAVA_LONG, 0, 0L);
        int err = invoke(() -> (int) lib.calls.regRead.invokeExact(uc, id, scratch));
        if (err != 0) {
            check(err, "uc_reg_read(" + id + ")");
        }
        return scratch.get(JAVA_LONG, 0);
    }

    private void writeReg(int id, long value) {
        scratch.set(JAVA_LONG, 0, value);
        int err = invoke(() -> (int) lib.calls.regWrite.invokeExact(uc, id, scratch));
        if (err != 0) {
            check(err, "uc_reg_write(" + id + ")");
        }
    }

    @Override
    public long reg(X86Reg reg) {
        long v = readReg(UcX86Regs.of(reg));
        // 32-bit registers come back as 32 bits; the rest of the buffer was cleared.
        return switch (reg) {
            case EAX, EBX, ECX, EDX, ESI, EDI, EBP, ESP, EIP, EFLAGS -> v & 0xffff_ffffL;
            default -> v;
        };
    }

    @Override
    public void setReg(X86Reg reg, long value) {
        writeReg(UcX86Regs.of(reg), value);
    }

    @Override
    public SegmentState segment(SegmentReg reg) {
        if (reg == SegmentReg.LDTR || reg == SegmentReg.TR) {
            readMmr(UcX86Regs.of(reg));
            return new SegmentState(Short.toUnsignedInt(mmr.get(JAVA_SHORT, 0)), mmr.get(JAVA_LONG, 8),
                    Integer.toUnsignedLong(mmr.get(JAVA_INT, 16)), mmr.get(JAVA_INT, 20));
        }
        int selector = (int) (readReg(UcX86Regs.of(reg)) & 0xffff);
        // The hidden part is not readable through the API: rebuild it from the descriptor tables
        // as the processor loaded it (real mode: base = selector * 16).
        if ((reg(X86Reg.CR0) & CR0_PE) == 0 || (reg(X86Reg.EFLAGS) & (1L << 17)) != 0) {
            return new SegmentState(selector, (long) selector << 4, 0xffff, 0);
        }
        if ((selector & ~3) == 0) {
            return new SegmentState(selector, 0, 0, 0);
        }
        TableRegister table = (selector & 4) != 0 ? ldtTable() : gdtr();
        int index = selector & ~7;
        if (table == null || index + 7 > table.limit()) {
            return new SegmentState(selector, 0, 0, 0);
        }
        byte[] d = readLinear(table.base() + index, 8);
        if (d == null) {
            return new SegmentState(selector, 0, 0, 0);
        }
        SegmentDescriptor desc = SegmentDescriptor.of(d, 0);
        return new SegmentState(selector, desc.base(), desc.limit(), desc.flags());
    }

    private TableRegister ldtTable() {
        readMmr(UcX86Regs.LDTR);
        return new TableRegister(mmr.get(JAVA_LONG, 8), mmr.get(JAVA_INT, 16));
    }

    @Override
    public void setSegment(SegmentReg reg, int selector) {
        if (reg == SegmentReg.LDTR || reg == SegmentReg.TR) {
            throw new IllegalArgumentException(reg + " is loaded with setSystemSegment");
        }
        writeReg(UcX86Regs.of(reg), selector & 0xffff);
    }

    /** Loads LDTR or TR with its whole hidden state (there is no descriptor load for them here). */
    public void setSystemSegment(SegmentReg reg, SegmentState value) {
        if (reg != SegmentReg.LDTR && reg != SegmentReg.TR) {
            throw new IllegalArgumentException(reg + " is not a system segment");
        }
        mmr.set(JAVA_SHORT, 0, (short) value.selector());
        mmr.set(JAVA_LONG, 8, value.base());
        mmr.set(JAVA_INT, 16, (int) value.limit());
        mmr.set(JAVA_INT, 20, value.flags());
        writeMmr(UcX86Regs.of(reg));
    }

    private void readMmr(int id) {
        mmr.fill((byte) 0);
        check(invoke(() -> (int) lib.calls.regRead.invokeExact(uc, id, mmr)), "uc_reg_read(" + id + ")");
    }

    private void writeMmr(int id) {
        check(invoke(() -> (int) lib.calls.regWrite.invokeExact(uc, id, mmr)), "uc_reg_write(" + id + ")");
    }

    @Override
    public TableRegister gdtr() {
        readMmr(UcX86Regs.GDTR);
        return new TableRegister(mmr.get(JAVA_LONG, 8), mmr.get(JAVA_INT, 16));
    }

    @Override
    public void setGdtr(TableRegister value) {
        mmr.fill((byte) 0);
        mmr.set(JAVA_LONG, 8, value.base());
        mmr.set(JAVA_INT, 16, value.limit());
        writeMmr(UcX86Regs.GDTR);
    }

    @Override
    public TableRegister idtr() {
        readMmr(UcX86Regs.IDTR);
        return new TableRegister(mmr.get(JAVA_LONG, 8), mmr.get(JAVA_INT, 16));
    }

    @Override
    public void setIdtr(TableRegister value) {
        mmr.fill((byte) 0);
        mmr.set(JAVA_LONG, 8, value.base());
        mmr.set(JAVA_INT, 16, value.limit());
        writeMmr(UcX86Regs.IDTR);
    }

    @Override
    public long msr(int index) {
        scratch.fill((byte) 0);
        scratch.set(JAVA_INT, 0, index);
        check(invoke(() -> (int) lib.calls.regRead.invokeExact(uc, UcX86Regs.MSR, scratch)), "uc_reg_read(MSR 0x"
                + Integer.toHexString(index) + ")");
        return scratch.get(JAVA_LONG, 8);
    }

    @Override
    public void setMsr(int index, long value) {
        scratch.fill((byte) 0);
        scratch.set(JAVA_INT, 0, index);
        scratch.set(JAVA_LONG, 8, value);
        check(invoke(() -> (int) lib.calls.regWrite.invokeExact(uc, UcX86Regs.MSR, scratch)), "uc_reg_write(MSR 0x"
                + Integer.toHexString(index) + ")");
    }

    // ---- saved context --------------------------------------------------------------

    long contextSize() {
        try {
            return (long) lib.calls.contextSize.invokeExact(uc);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private MemorySegment savedContext() {
        if (context.equals(MemorySegment.NULL)) {
            MemorySegment out = arena.allocate(ADDRESS);
            check(invoke(() -> (int) lib.calls.contextAlloc.invokeExact(uc, out)), "uc_context_alloc");
            context = out.get(ADDRESS, 0).reinterpret(contextSize());
        }
        MemorySegment c = context;
        check(invoke(() -> (int) lib.calls.contextSave.invokeExact(uc, c)), "uc_context_save");
        return c;
    }

    /** The engine's CPU context as uc_context_save writes it (for the layout probe). */
    byte[] saveContextBytes() {
        return savedContext().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
    }

    /** Saves the context, writes a 32-bit value at {@code offset} of it and restores it. */
    void patchContextInt(long offset, int value) {
        MemorySegment c = savedContext();
        c.set(JAVA_INT.withByteAlignment(1), offset, value);
        check(invoke(() -> (int) lib.calls.contextRestore.invokeExact(uc, c)), "uc_context_restore");
    }

    @Override
    public void clearExceptionInFlight() {
        ExceptionStateLayout layout = lib.exceptionLayout();
        if (!layout.recognised()) {
            throw new CpuException("cannot clear the engine's exception bookkeeping: " + layout.failure(), 0);
        }
        patchContextInt(layout.offset(), -1);
    }

    @Override
    public int exceptionErrorCode() {
        long at = lib.exceptionLayout().errorCodeOffset();
        if (at < 0) {
            return 0;
        }
        return savedContext().get(JAVA_INT.withByteAlignment(1), at);
    }

    // ---- execution -----------------------------------------------------------------

    @Override
    public X86SliceResult run(long maxInstructions) {
        long start = shim.icount();
        shim.deadline(start + Math.max(1, maxInstructions));
        shim.reason(ShimState.REASON_NONE);
        hookStopped = false;
        long pc = reg(mode == Mode.LONG64 ? X86Reg.RIP : X86Reg.EIP);
        int err;
        runner = Thread.currentThread();
        try {
            err = (int) lib.calls.emuStart.invokeExact(uc, pc, -1L, 0L, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        } finally {
            runner = null;
        }
        long executed = shim.icount() - start;
        boolean requested = shim.stopRequested() || hookStopped;
        shim.clearStop();
        if (err != 0) {
            X86SliceResult.Reason reason = switch (err) {
                case UnicornX86Library.ERR_INSN_INVALID -> X86SliceResult.Reason.INVALID_OPCODE;
                case UnicornX86Library.ERR_READ_UNMAPPED, UnicornX86Library.ERR_WRITE_UNMAPPED,
                     UnicornX86Library.ERR_FETCH_UNMAPPED -> X86SliceResult.Reason.UNMAPPED;
                default -> X86SliceResult.Reason.ERROR;
            };
            return new X86SliceResult(executed, reason, lib.error(err) + " at eip 0x" + Long.toHexString(reg(X86Reg.EIP)));
        }
        long r = shim.reason();
        X86SliceResult.Reason reason;
        if (r == ShimState.REASON_DEADLINE) {
            reason = X86SliceResult.Reason.DEADLINE;
        } else if (r == ShimState.REASON_IRQ_WINDOW) {
            reason = X86SliceResult.Reason.IRQ_WINDOW;
        } else if (r == ShimState.REASON_REQUEST || requested) {
            reason = X86SliceResult.Reason.REQUESTED;
        } else {
            // Unicorn ends the run at HLT, EIP past it, without any hook.
            reason = X86SliceResult.Reason.HALTED;
        }
        return new X86SliceResult(executed, reason, null);
    }

    @Override
    public void requestStop() {
        shim.requestStop();
        // Only the engine's own thread, inside a hook, may stop it directly (DESIGN 1a); any other
        // thread leaves it to the shim's flag, checked at the next block.
        if (inHook && Thread.currentThread() == runner) {
            hookStopped = true;
            try {
                int ignored = (int) lib.calls.emuStop.invokeExact(uc);
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

    /** Translated blocks entered so far (statistics). */
    public long blocks() {
        return shim.blocks();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (uc != null && !uc.equals(MemorySegment.NULL)) {
                int ignored = (int) lib.calls.close.invokeExact(uc);
            }
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        } finally {
            if (!context.equals(MemorySegment.NULL)) {
                MemorySegment c = context;
                int ignored = invoke(() -> (int) lib.calls.contextFree.invokeExact(c));
            }
            arena.close();
        }
    }
}
