package dev.sel4sim.vmm.arm.vm;

import dev.sel4sim.vmm.run.VmClock;
import dev.sel4sim.vmm.run.GuestVm;
import dev.sel4sim.vmm.run.VmStop;
import dev.sel4sim.vmm.run.StepResult;
import dev.sel4sim.virtio.stream.GuestWorkQueue;
import dev.sel4sim.vmm.arm.CpuTopology;
import dev.sel4sim.vmm.arm.dev.Pl011;
import dev.sel4sim.vmm.cpu.Arm64Cpu;
import dev.sel4sim.vmm.crossvm.CrossVmConnector;
import dev.sel4sim.vmm.cpu.MmioHandler;
import dev.sel4sim.vmm.cpu.SysReg;
import dev.sel4sim.vmm.mem.GuestRam;

import java.util.ArrayList;
import java.util.List;

/**
 * One AArch64 virtual machine: its RAM, VCPUs and emulated devices, and the scheduler that
 * runs its VCPUs one slice at a time, never two at once (Unicorn's exclusives are only
 * correct that way). Not thread-safe: one caller (the VMM actor) steps it; only
 * {@link #interrupt()} may be called from elsewhere.
 */
public final class ArmVm implements GuestVm {
    private final ArmVmSpec spec;
    private final CpuTopology topology;
    private final GuestRam ram;
    private final List<GuestRam> rom;
    private final List<VmGic.Region> mmio;
    private final List<ArmVcpu> vcpus = new ArrayList<>();
    private final List<VmTimer> timers;
    private final VmGic gic;
    private final Pl011 uart;
    private final Hypercalls hypercalls;
    private AbortHandler faults;
    private final long hostStart = System.nanoTime();
    private long tlbGeneration;
    private long codeGeneration;
    private final long[] seenTlb;
    private final long[] seenCode;
    private final List<String> log = new ArrayList<>();
    private volatile ArmVcpu running;
    private long counterHigh;


    /**
     * @param cpus       makes the CPU back end of VCPU i, given its hooks
     * @param mmio       extra device regions (PL011, PL031, virtio) mapped into every VCPU
     */
    public ArmVm(ArmVmSpec spec, CpuTopology topology, GuestRam ram, List<GuestRam> rom, VmGic gic, List<VmTimer> timers,
                 Pl011 uart, Hypercalls hypercalls, List<VmGic.Region> mmio,
                 java.util.function.BiFunction<Integer, ArmVcpu, Arm64Cpu> cpus) {
        this.spec = spec;
        this.topology = topology;
        this.ram = ram;
        this.rom = List.copyOf(rom);
        this.mmio = new ArrayList<>(gic.regions());
        this.mmio.addAll(mmio);
        this.gic = gic;
        this.timers = timers;
        this.uart = uart;
        this.hypercalls = hypercalls;
        this.seenTlb = new long[spec.vcpus()];
        this.seenCode = new long[spec.vcpus()];
        for (int i = 0; i < spec.vcpus(); i++) {
            ArmVcpu v = new ArmVcpu(i, this);
            Arm64Cpu cpu = cpus.apply(i, v);
            v.attach(cpu);
            // Worth it when something else could make progress meanwhile: another VCPU, or a
            // virtio device the guest spins on (Linux's hvc console waits for its buffer with YIELD).
            cpu.yieldOnHint(spec.vcpus() > 1 || !spec.virtio().isEmpty());
            cpu.mapRam(ram.base(), ram.segment(), true);
            for (GuestRam r : rom) {
                cpu.mapRam(r.base(), r.segment(), true);
            }
            for (VmGic.Region r : this.mmio) {
                cpu.mapMmio(r.base(), r.size(), r.handler());
            }
            vcpus.add(v);
        }
    }

    public void faults(AbortHandler faults) {
        this.faults = faults;
    }

    /** The MPIDR_EL1 value of VCPU {@code i}: its affinity in the VM's topology, with the RES1 bit 31 set. */
    public long mpidr(int i) {
        return 0x8000_0000L | topology.affinity(i);
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public int consoleInputSpace() {
        return uart().receiveSpace();
    }

    @Override
    public void consoleInput(byte b) {
        uart().receive(b);
    }

    public ArmVmSpec spec() {
        return spec;
    }

    public GuestRam ram() {
        return ram;
    }

    public List<ArmVcpu> vcpus() {
        return vcpus;
    }

    /** True when a guest-physical address has RAM, ROM or a device behind it. */
    public boolean isBacked(long pa) {
        if (ram.contains(pa, 1)) {
            return true;
        }
        for (CrossVmConnector c : crossVm) {
            if (pa >= c.spec().dataportAddress() && pa < c.spec().end()) {
                return true;
            }
        }
        for (GuestRam r : rom) {
            if (r.contains(pa, 1)) {
                return true;
            }
        }
        for (VmGic.Region r : mmio) {
            if (pa >= r.base() && pa - r.base() < r.size()) {
                return true;
            }
        }
        return false;
    }

    public VmGic gic() {
        return gic;
    }

    public Pl011 uart() {
        return uart;
    }

    AbortHandler faults() {
        return faults;
    }

    VmClock clock() {
        return spec.clock();
    }

    long nsPerInstruction() {
        return spec.nsPerInstruction();
    }

    long hostNow() {
        return System.nanoTime() - hostStart;
    }

    /**
     * The time a VCPU's counter (CNTVCT/CNTPCT) shows. Linux needs the counter to be
     * monotonic across CPUs; in deterministic mode each VCPU runs on its own clock and the
     * one running is the furthest behind, so a read never shows less than any read before it.
     */
    public long counterNow(ArmVcpu v) {
        long t = v.now();
        if (t < counterHigh) {
            return counterHigh;
        }
        counterHigh = t;
        return t;
    }

    /** The VM's simulated time: the earliest of its running VCPUs' clocks. */
    public long now() {
        if (spec.clock() == VmClock.PACED) {
            return hostNow();
        }
        ArmVcpu r = running;
        if (r != null) {
            return r.now();
        }
        long t = Long.MAX_VALUE;
        for (ArmVcpu v : vcpus) {
            if (v.power() == ArmVcpu.Power.ON) {
                t = Math.min(t, v.sliceTime());
            }
        }
        return t == Long.MAX_VALUE ? 0 : t;
    }

    /** Starts VCPU 0 at {@code entry} with {@code x0} (the DTB address for Linux). */
    public void start(long entry, long x0) {
        vcpus.getFirst().powerOn(entry, x0);
    }

    /** Ends the running slice soon (from any thread): input arrived, or a stop was asked for. */
    public void interrupt() {
        ArmVcpu r = running;
        if (r != null) {
            r.cpu().requestStop();
        }
    }

    // ---- scheduling ---------------------------------------------------------------------

    // ---- cross-VM connectors ---------------------------------------------------------------

    private List<CrossVmConnector> crossVm = List.of();

    /** Maps each connector's dataport as RAM into every VCPU (its register page is among the MMIO regions). */
    void attachCrossVm(List<CrossVmConnector> connectors) {
        for (CrossVmConnector c : connectors) {
            for (ArmVcpu v : vcpus) {
                v.cpu().mapRam(c.spec().dataportAddress(), c.dataport(), false);
            }
        }
        this.crossVm = List.copyOf(connectors);
    }

    /** The VM's cross-VM connectors, in the order of its spec: the system connects them to components. */
    @Override
    public List<CrossVmConnector> crossVm() {
        return crossVm;
    }

    // ---- virtio devices -------------------------------------------------------------------

    private GuestWorkQueue deviceWork = new GuestWorkQueue(() -> { });
    private List<VirtioAttachment> virtio = List.of();
    private volatile Runnable deviceWorkListener = () -> { };

    void attachVirtio(GuestWorkQueue work, List<VirtioAttachment> devices) {
        this.deviceWork = work;
        this.virtio = List.copyOf(devices);
    }

    @Override
    public List<dev.sel4sim.vmm.run.VmDevice> devices() {
        return virtio.stream().map(a -> new dev.sel4sim.vmm.run.VmDevice(a.spec().name(), a.device())).toList();
    }

    /** The VM's virtio devices, in window order: the system connects their streams. */
    public List<VirtioAttachment> virtio() {
        return virtio;
    }

    /**
     * Who to tell (from any thread) that device work waits for the VM's thread, for instance the
     * VMM actor, which may be idle while every VCPU sleeps in WFI.
     */
    public void onDeviceWork(Runnable listener) {
        this.deviceWorkListener = java.util.Objects.requireNonNull(listener);
    }

    /**
     * A stream thread queued device work: wake the VMM. A running slice is not cut short: stopping the CPU from
     * this thread is unsafe while the VCPU's thread is inside one of its hooks (the stop would land as an
     * asynchronous emu_stop, and an instruction may run twice), and the slice ends within its quantum anyway.
     */
    void deviceWorkArrived() {
        deviceWorkListener.run();
    }

    /** Whether device work waits to run (the VMM should step rather than sleep). */
    public boolean deviceWorkPending() {
        return deviceWork.hasPending();
    }

    private void runDeviceWork() {
        if (deviceWork.hasPending()) {
            try {
                deviceWork.runPending();
            } catch (RuntimeException e) {
                // The devices contain their own failures; one that escapes is logged, not fatal to the VM.
                note("virtio device work failed: " + e);
            }
        }
    }

    /** Runs one slice on the VCPU whose turn it is. */
    public StepResult step() {
        runDeviceWork();
        ArmVcpu next = pick();
        if (next == null) {
            long wake = Long.MAX_VALUE;
            boolean anyOn = false;
            for (ArmVcpu v : vcpus) {
                if (v.power() == ArmVcpu.Power.ON) {
                    anyOn = true;
                    wake = Math.min(wake, timers.get(v.id()).nextDeadline(v.now()));
                }
            }
            if (!anyOn) {
                return new StepResult.Stopped(new VmStop.Stopped("every VCPU is off"));
            }
            return new StepResult.Idle(wake);
        }
        syncCaches(next);
        long budget = spec.quantum();
        if (spec.clock() == VmClock.DETERMINISTIC) {
            long now = next.sliceTime();
            long deadline = timers.get(next.id()).nextDeadline(now);
            // A line already high does not shorten the slice: the IRQ window stops it when the guest unmasks.
            if (deadline != Long.MAX_VALUE && deadline > now) {
                budget = Math.max(1, Math.min(budget, (deadline - now + spec.nsPerInstruction() - 1) / spec.nsPerInstruction()));
            }
        }
        running = next;
        long before = next.cpu().instructions();
        long tlbi = next.cpu().tlbInvalidations();
        long ic = next.cpu().codeInvalidations();
        VmStop stop;
        try {
            stop = next.runSlice(budget);
        } finally {
            running = null;
        }
        if (vcpus.size() > 1) {
            afterSlice(next);
            if (next.cpu().codeInvalidations() != ic) {
                codeGeneration++;
                seenCode[next.id()] = codeGeneration;
            }
            if (next.cpu().tlbInvalidations() != tlbi) {
                tlbGeneration++;
                seenTlb[next.id()] = tlbGeneration;
            }
        }
        if (stop != null) {
            return new StepResult.Stopped(stop);
        }
        return new StepResult.Ran(next.id(), next.cpu().instructions() - before);
    }

    /**
     * After a slice on {@code ran}: the other VCPUs are no longer waiting for it; if it ended
     * waiting (WFE/YIELD), the time it would have spun counts as spent, so that the VCPU it waits
     * for goes first and fairness and simulated time do not fall behind.
     */
    private void afterSlice(ArmVcpu ran) {
        for (ArmVcpu v : vcpus) {
            if (v != ran) {
                v.stopWaiting();
            }
        }
        if (!ran.waiting()) {
            return;
        }
        long otherTime = Long.MAX_VALUE;
        long otherRun = Long.MAX_VALUE;
        for (ArmVcpu v : vcpus) {
            if (v != ran && runnable(v)) {
                otherTime = Math.min(otherTime, v.sliceTime());
                otherRun = Math.min(otherRun, v.cpu().instructions() - v.idleCredit());
            }
        }
        if (otherTime == Long.MAX_VALUE) {
            // Nobody else can run: it waits for itself (an interrupt), so it goes on.
            ran.stopWaiting();
            return;
        }
        if (spec.clock() == VmClock.DETERMINISTIC) {
            ran.advanceTo(otherTime);
        } else {
            ran.creditIdle(otherRun);
        }
    }

    /** Could run now: on, and not in WFI unless an interrupt is waiting for it. */
    private boolean runnable(ArmVcpu v) {
        return v.power() == ArmVcpu.Power.ON && (!v.parked() || irqPending(v));
    }

    private ArmVcpu pick() {
        if (spec.clock() == VmClock.DETERMINISTIC) {
            ArmVcpu best = null;
            long bestTime = Long.MAX_VALUE;
            for (int pass = 0; pass < 2 && best == null; pass++) {
                for (ArmVcpu v : vcpus) {
                    // A VCPU waiting on WFE/YIELD goes last (second pass).
                    if (v.power() != ArmVcpu.Power.ON || v.waiting() == (pass == 0)) {
                        continue;
                    }
                    long t = v.sliceTime();
                    if (v.parked()) {
                        t = irqPending(v) ? t : timers.get(v.id()).nextDeadline(t);
                    }
                    if (t < bestTime) {
                        bestTime = t;
                        best = v;
                    }
                }
            }
            if (best != null && best.parked()) {
                best.advanceTo(bestTime);
                best.unpark();
            }
            return best;
        }
        // Paced: the runnable VCPU that has executed the fewest instructions goes next, so a VCPU
        // whose slices end early (many exits) still gets its share against one spinning on a lock.
        long now = hostNow();
        long least = Long.MAX_VALUE;
        for (ArmVcpu v : vcpus) {
            if (v.power() == ArmVcpu.Power.ON && !v.parked()) {
                least = Math.min(least, v.cpu().instructions() - v.idleCredit());
            }
        }
        ArmVcpu best = null;
        ArmVcpu waiter = null;
        long bestRun = Long.MAX_VALUE;
        for (ArmVcpu v : vcpus) {
            if (v.power() != ArmVcpu.Power.ON) {
                continue;
            }
            if (v.parked() && (irqPending(v) || timers.get(v.id()).nextDeadline(now) <= now)) {
                v.unpark();
                // A VCPU back from WFI does not get to catch up on the time it slept.
                if (least != Long.MAX_VALUE) {
                    v.creditIdle(least);
                }
            }
            if (!v.parked()) {
                long run = v.cpu().instructions() - v.idleCredit();
                if (v.waiting()) {
                    if (waiter == null) {
                        waiter = v;
                    }
                } else if (run < bestRun) {
                    bestRun = run;
                    best = v;
                }
            }
        }
        // A VCPU waiting on WFE/YIELD runs only when no other can.
        return best != null ? best : waiter;
    }

    /** Another VCPU invalidated TLB entries or code since this one last ran: drop its caches. */
    private void syncCaches(ArmVcpu v) {
        int i = v.id();
        if (seenCode[i] != codeGeneration) {
            v.cpu().flushAll();
            seenCode[i] = codeGeneration;
            seenTlb[i] = tlbGeneration;
        } else if (seenTlb[i] != tlbGeneration) {
            v.cpu().flushTlb();
            seenTlb[i] = tlbGeneration;
        }
    }

    // ---- services for the VCPUs ---------------------------------------------------------

    boolean irqPending(ArmVcpu v) {
        refreshTimerLines(v);
        return gic.irqPending(v.id());
    }

    void refreshTimerLines(ArmVcpu v) {
        VmTimer t = timers.get(v.id());
        long now = v.now();
        gic.setPpi(v.id(), 27, t.virtualLine(now));
        gic.setPpi(v.id(), 30, t.physicalLine(now));
    }

    boolean timerRegister(ArmVcpu v, boolean read, int rt, SysReg reg) {
        VmTimer t = timers.get(v.id());
        long now = v.now();
        if (read) {
            var value = t.read(reg, now);
            if (value.isEmpty()) {
                return false;
            }
            v.cpu().setX(rt, value.getAsLong());
            return true;
        }
        return t.write(reg, v.cpu().x(rt), now);
    }

    boolean gicSystemRegister(ArmVcpu v, boolean read, int rt, SysReg reg) {
        refreshTimerLines(v);
        Arm64Cpu cpu = v.cpu();
        boolean handled = gic.systemRegister(v.id(), read, new VmGic.SysRegAccess() {
            @Override
            public SysReg reg() {
                return reg;
            }

            @Override
            public long value() {
                return cpu.x(rt);
            }

            @Override
            public void result(long value) {
                cpu.setX(rt, value);
            }
        });
        if (handled) {
            wakeForInterrupts();
        }
        return handled;
    }

    /** After the GIC state changed: parked VCPUs with a deliverable interrupt run again. */
    public void wakeForInterrupts() {
        for (ArmVcpu v : vcpus) {
            if (v.power() == ArmVcpu.Power.ON && gic.irqPending(v.id())) {
                if (v.parked()) {
                    v.unpark();
                    ArmVcpu r = running;
                    if (r != null && spec.clock() == VmClock.DETERMINISTIC) {
                        v.advanceTo(r.now());
                    }
                } else if (v == running) {
                    v.cpu().setIrqWindow(true);
                }
            }
        }
    }

    VmStop hypercall(ArmVcpu v, boolean smc) {
        return hypercalls.call(this, v, smc);
    }

    /** Starts a VCPU (PSCI CPU_ON), at the caller's simulated time. */
    public void powerOn(ArmVcpu target, long entry, long contextId, ArmVcpu caller) {
        target.advanceTo(caller.now());
        target.powerOn(entry, contextId);
        // It may have run before (CPU_OFF then CPU_ON): its translated code is stale.
        target.cpu().flushAll();
    }

    /** One line of counters per VCPU: instructions, exits to the VMM, injected IRQs, emulated system registers. */
    public String stats() {
        StringBuilder b = new StringBuilder();
        for (ArmVcpu v : vcpus) {
            if (!b.isEmpty()) {
                b.append("; ");
            }
            b.append(String.format("vcpu%d %,d instructions, %,d exits, %,d IRQs, %,d timer/MPIDR accesses, %,d WFE/YIELD yields, pc 0x%x pstate 0x%x%s",
                    v.id(), v.cpu().instructions(), v.exits(), v.injectedIrqs(), v.sysregTraps(), v.cpu().hintStops(), v.cpu().pc(), v.cpu().pstate(),
                    v.power() == ArmVcpu.Power.OFF ? " (off)" : v.parked() ? " (in WFI)" : ""));
        }
        return b.toString();
    }

    /** Records a line for the VM's log (one per unusual event, not per exit). */
    @Override
    public void note(String line) {
        log.add(line);
    }

    public List<String> notes() {
        return log;
    }

    @Override
    public void close() {
        for (ArmVcpu v : vcpus) {
            v.cpu().close();
        }
        for (VirtioAttachment a : virtio) {
            a.blk().ifPresent(b -> closeQuietly(b.backend()));
        }
        ram.close();
        rom.forEach(GuestRam::close);
    }

    private void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (java.io.IOException e) {
            note("closing " + c + ": " + e.getMessage());
        }
    }

    /** Adapts a device to the per-VM region list. */
    public static VmGic.Region region(String name, long base, long size, MmioHandler handler) {
        return new VmGic.Region(name, base, size, handler);
    }
}
