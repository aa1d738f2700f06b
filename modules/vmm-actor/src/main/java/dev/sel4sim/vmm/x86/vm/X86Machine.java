package dev.sel4sim.vmm.x86.vm;

import dev.sel4sim.vmm.boot.BootImageException;
import dev.sel4sim.vmm.mem.GuestRam;
import dev.sel4sim.vmm.x86.boot.MultibootBoot;
import dev.sel4sim.vmm.x86.boot.MultibootConfig;
import dev.sel4sim.vmm.x86.boot.MultibootHeader;
import dev.sel4sim.vmm.x86.boot.MultibootLoader;
import dev.sel4sim.vmm.x86.cpu.SegmentReg;
import dev.sel4sim.vmm.x86.cpu.TableRegister;
import dev.sel4sim.vmm.x86.cpu.X86Cpu;
import dev.sel4sim.vmm.x86.cpu.X86Hooks;
import dev.sel4sim.vmm.x86.cpu.X86Reg;
import dev.sel4sim.vmm.x86.cpu.X86SliceResult;
import dev.sel4sim.vmm.x86.cpu.unicorn.UnicornX86;
import dev.sel4sim.vmm.x86.cpu.unicorn.UnicornX86Library;
import dev.sel4sim.vmm.x86.dev.IoPortBus;
import dev.sel4sim.vmm.x86.dev.TimedDevice;
import dev.sel4sim.vmm.x86.intr.DeliveryFailure;
import dev.sel4sim.vmm.x86.intr.InterruptDelivery;
import dev.sel4sim.vmm.x86.intr.InterruptKind;
import dev.sel4sim.vmm.x86.pic.Pic8259Pair;
import dev.sel4sim.vmm.x86.pit.Pit8254;
import dev.sel4sim.vmm.x86.vga.VgaText;

/**
 * One uniprocessor PC on an x86 VCPU: RAM, VGA text, the 8259 pair and the 8254 on IRQ 0, run in
 * slices of simulated time. The machine delivers what the engine leaves to it: PIC interrupts when
 * EFLAGS.IF allows, exceptions and INT n the engine reports, and #UD, all through the guest's IDT or
 * IVT. HLT parks the VCPU: time jumps to the next timer deadline.
 */
public final class X86Machine implements AutoCloseable {
    private static final long IF = 1 << 9;
    private static final int UD = 6;
    private static final byte HLT = (byte) 0xf4;
    /** Where the boot GDT goes (below the Multiboot information); the boot stack grows down from it. */
    private static final long BOOT_GDT = 0x7000;

    private final X86MachineConfig config;
    private final GuestRam low;
    private final GuestRam high;
    private final VgaText vga = new VgaText();
    private final IoPortBus ports = new IoPortBus();
    private final Pic8259Pair pic;
    private final Pit8254 pit;
    private final X86Cpu cpu;

    /** Simulated time spent halted, on top of the instruction clock. */
    private long idleNs;
    private boolean halted;
    /** A vector the engine reported in its interrupt hook, to deliver after the slice; -1 for none. */
    private int reportedVector = -1;

    public X86Machine(UnicornX86Library lib, X86MachineConfig config) {
        this.config = config;
        low = new GuestRam(0, X86MachineConfig.LOW_RAM);
        high = new GuestRam(X86MachineConfig.HIGH_BASE, config.ramBytes() - X86MachineConfig.HIGH_BASE);
        pic = new Pic8259Pair(this::cpuLine);
        pit = new Pit8254(this::nowNs, level -> pic.setIrq(0, level));
        ports.register(Pic8259Pair.MASTER_COMMAND, 2, pic, "PIC master");
        ports.register(Pic8259Pair.SLAVE_COMMAND, 2, pic, "PIC slave");
        ports.register(Pic8259Pair.ELCR_MASTER, 2, pic, "PIC ELCR");
        ports.register(Pit8254.CHANNEL0, 4, pit, "PIT");
        ports.register(Pit8254.PORT_B, 1, pit, "port B");
        cpu = UnicornX86.open(lib, 0, UnicornX86.Mode.PROTECTED32, new Hooks());
        cpu.mapRam(0, low.segment());
        cpu.mapRam(VgaText.BASE, vga.memory());
        cpu.mapRam(X86MachineConfig.HIGH_BASE, high.segment());
    }

    private final class Hooks implements X86Hooks {
        @Override
        public int in(int port, int size) {
            return ports.read(port, size);
        }

        @Override
        public void out(int port, int size, int value) {
            ports.write(port, size, value);
        }

        @Override
        public boolean cpuid(X86Cpu c) {
            return false;
        }

        @Override
        public void interrupt(int vector) {
            reportedVector = vector;
            cpu.requestStop();
        }
    }

    private void cpuLine(boolean high) {
        if (cpu != null && high) {
            cpu.setIrqWindow(true);
        }
    }

    /** Simulated nanoseconds since reset. */
    public long nowNs() {
        return idleNs + (cpu == null ? 0 : cpu.instructions()) * config.nsPerInstruction();
    }

    /**
     * Loads a Multiboot kernel and puts the VCPU at its entry as the specification's machine state
     * says: 32-bit protected mode, flat 4 GiB code and data segments, paging and interrupts off,
     * EAX = 0x2BADB002, EBX = the information structure.
     */
    public MultibootBoot bootMultiboot(byte[] kernel, String cmdline, java.util.List<dev.sel4sim.vmm.x86.boot.MultibootModule> modules)
            throws BootImageException {
        MultibootConfig mc = new MultibootConfig(cmdline, (int) (X86MachineConfig.LOW_RAM / 1024), config.upperKiB(), modules,
                "sel4sim");
        MultibootBoot boot = MultibootLoader.load(kernel, mc, this::writePhysical);
        // null, flat code (0x08), flat data (0x10)
        byte[] gdt = new byte[24];
        putDescriptor(gdt, 8, 0x00cf_9a00_0000_ffffL);
        putDescriptor(gdt, 16, 0x00cf_9200_0000_ffffL);
        low.load(BOOT_GDT, gdt);
        cpu.setReg(X86Reg.CR0, 0x11);
        cpu.setGdtr(new TableRegister(BOOT_GDT, gdt.length - 1));
        cpu.setIdtr(new TableRegister(0, 0x3ff));
        cpu.setSegment(SegmentReg.CS, 0x08);
        for (SegmentReg s : new SegmentReg[] {SegmentReg.DS, SegmentReg.ES, SegmentReg.FS, SegmentReg.GS, SegmentReg.SS}) {
            cpu.setSegment(s, 0x10);
        }
        cpu.setReg(X86Reg.EFLAGS, 0x2);
        cpu.setReg(X86Reg.ESP, BOOT_GDT);
        cpu.setReg(X86Reg.EAX, Integer.toUnsignedLong(MultibootHeader.BOOTLOADER_MAGIC));
        cpu.setReg(X86Reg.EBX, boot.infoAddress());
        cpu.setReg(X86Reg.EIP, boot.entry());
        halted = false;
        return boot;
    }

    private static void putDescriptor(byte[] table, int at, long d) {
        for (int i = 0; i < 8; i++) {
            table[at + i] = (byte) (d >>> (8 * i));
        }
    }

    /** Copies bytes into RAM (not the VGA buffer or holes); false when they do not fit one RAM region. */
    public boolean writePhysical(long address, byte[] data) {
        for (GuestRam r : new GuestRam[] {low, high}) {
            if (r.contains(address, data.length)) {
                r.load(address, data);
                return true;
            }
        }
        return false;
    }

    /**
     * Runs the guest for at most {@code maxInstructions} counted instructions (halted time does not
     * count), delivering interrupts and exceptions as they come.
     */
    public X86RunResult run(long maxInstructions) {
        long start = cpu.instructions();
        while (cpu.instructions() - start < maxInstructions) {
            try {
                if (reportedVector >= 0) {
                    int v = reportedVector;
                    reportedVector = -1;
                    // Vectors below 32 are the processor's exceptions; above, INT n.
                    InterruptDelivery.deliver(cpu, v, v < 32 && v != 3 && v != 4 ? InterruptKind.EXCEPTION : InterruptKind.SOFTWARE, 0);
                }
                boolean interruptsOn = (cpu.reg(X86Reg.EFLAGS) & IF) != 0;
                if (interruptsOn && pic.interruptPending()) {
                    takeInterrupt();
                    interruptsOn = false;
                }
                if (halted) {
                    if (!interruptsOn) {
                        return result(X86RunResult.Outcome.HALTED, null);
                    }
                    long deadline = pit.nextDeadlineNs();
                    if (deadline == TimedDevice.NO_DEADLINE) {
                        return result(X86RunResult.Outcome.HALTED, null);
                    }
                    idleNs += Math.max(0, deadline - nowNs());
                    pit.update();
                    continue;
                }
            } catch (DeliveryFailure e) {
                return result(X86RunResult.Outcome.FAILED, e.getMessage() + " (eip 0x" + Long.toHexString(cpu.reg(X86Reg.EIP)) + ")");
            }
            cpu.setIrqWindow(pic.interruptPending());
            long budget = maxInstructions - (cpu.instructions() - start);
            long deadline = pit.nextDeadlineNs();
            if (deadline != TimedDevice.NO_DEADLINE) {
                budget = Math.min(budget, Math.max(1, (deadline - nowNs()) / config.nsPerInstruction()));
            }
            X86SliceResult r = cpu.run(budget);
            pit.update();
            switch (r.reason()) {
                case HALTED -> halted = true;
                case INVALID_OPCODE -> {
                    try {
                        InterruptDelivery.deliver(cpu, UD, InterruptKind.EXCEPTION, 0);
                    } catch (DeliveryFailure e) {
                        return result(X86RunResult.Outcome.FAILED, "#UD at eip 0x" + Long.toHexString(cpu.reg(X86Reg.EIP))
                                + " could not be delivered: " + e.getMessage());
                    }
                }
                case UNMAPPED, ERROR -> {
                    return result(X86RunResult.Outcome.FAILED, r.error());
                }
                default -> {
                }
            }
        }
        return result(X86RunResult.Outcome.BUDGET, null);
    }

    private void takeInterrupt() throws DeliveryFailure {
        long eip = cpu.reg(X86Reg.EIP);
        byte[] at = cpu.readLinear(cpu.segment(SegmentReg.CS).base() + eip, 1);
        if (at != null && at[0] == HLT) {
            // STI; HLT: the interrupt arrives while HLT waits and returns past it.
            cpu.setReg(X86Reg.EIP, eip + 1);
        }
        halted = false;
        InterruptDelivery.deliver(cpu, pic.acknowledge(), InterruptKind.EXTERNAL, 0);
    }

    private X86RunResult result(X86RunResult.Outcome outcome, String message) {
        return new X86RunResult(outcome, message, cpu.instructions(), nowNs());
    }

    public X86Cpu cpu() {
        return cpu;
    }

    public VgaText vga() {
        return vga;
    }

    public IoPortBus ports() {
        return ports;
    }

    public Pic8259Pair pic() {
        return pic;
    }

    public Pit8254 pit() {
        return pit;
    }

    public boolean halted() {
        return halted;
    }

    @Override
    public void close() {
        cpu.close();
        vga.close();
        low.close();
        high.close();
    }
}
