package dev.sel4sim.vmm.x86.vm;

import dev.sel4sim.vmm.crossvm.CrossVmConnector;
import dev.sel4sim.vmm.crossvm.CrossVmSpec;
import dev.sel4sim.virtio.mem.GuestRegion;
import dev.sel4sim.virtio.mem.SegmentGuestMemory;
import dev.sel4sim.vmm.boot.BootImageException;
import dev.sel4sim.vmm.cpu.MmioHandler;
import dev.sel4sim.vmm.x86.apic.IoApic;
import dev.sel4sim.vmm.x86.apic.LocalApic;
import dev.sel4sim.vmm.mem.GuestRam;
import dev.sel4sim.vmm.x86.boot.BzImageLoader;
import dev.sel4sim.vmm.x86.boot.E820Entry;
import dev.sel4sim.vmm.x86.boot.LinuxBoot;
import dev.sel4sim.vmm.x86.boot.LinuxBootConfig;
import dev.sel4sim.vmm.x86.boot.Multiboot2Boot;
import dev.sel4sim.vmm.x86.boot.Multiboot2Header;
import dev.sel4sim.vmm.x86.boot.Multiboot2Loader;
import dev.sel4sim.vmm.x86.boot.MultibootBoot;
import dev.sel4sim.vmm.x86.boot.MultibootConfig;
import dev.sel4sim.vmm.x86.boot.MultibootHeader;
import dev.sel4sim.vmm.x86.boot.MultibootLoader;
import dev.sel4sim.vmm.x86.cpu.CpuidPolicy;
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
import dev.sel4sim.vmm.x86.hpet.Hpet;
import dev.sel4sim.vmm.x86.hpet.HpetLines;
import dev.sel4sim.vmm.x86.intr.DeliveryFailure;
import dev.sel4sim.vmm.x86.intr.InterruptDelivery;
import dev.sel4sim.vmm.x86.intr.InterruptKind;
import dev.sel4sim.vmm.x86.intr.PageFaultErrorCode;
import dev.sel4sim.vmm.x86.pic.Pic8259Pair;
import dev.sel4sim.vmm.x86.pit.Pit8254;
import dev.sel4sim.vmm.x86.rtc.Mc146818;
import dev.sel4sim.vmm.x86.uart.Uart16550;
import dev.sel4sim.vmm.x86.vga.VgaText;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * One uniprocessor PC on an x86 VCPU: RAM, VGA text, zero-filled legacy and BIOS areas (what a guest
 * scans for firmware tables finds nothing), the 8259 pair, a 16550 UART as COM1 on IRQ 4 and the
 * MC146818 RTC on IRQ 8, run in slices of simulated time; and what {@link X86MachineConfig} chooses:
 * the 8254 on IRQ 0, the HPET at 0xFED00000, the local APIC at 0xFEE00000 (with or without its
 * timer), the IOAPIC at 0xFEC00000, virtio-mmio devices at their addresses. CPUID tells the truth
 * about the local APIC ({@link CpuidPolicy}). Interrupts are wired as {@link InterruptRouter} says:
 * through the local APIC when there is one, else from the 8259 pair. The machine delivers what the
 * engine leaves to it: external interrupts when EFLAGS.IF allows, exceptions and INT n the engine
 * reports (a #PF with an error code rebuilt from the page tables), and #UD, all through the guest's
 * IDT or IVT. HLT parks the VCPU: time jumps to the next timer deadline. Virtio devices' stream work
 * runs on the machine's thread between slices.
 */
public final class X86Machine implements AutoCloseable {
    private static final long IF = 1 << 9;
    /** Timer deadlines a halted VCPU may skip to in one run without an interrupt reaching it. */
    private static final int MAX_FRUITLESS_WAKES = 10_000;
    private static final int UD = 6;
    private static final int PF = 14;
    private static final long CR0_WP = 1L << 16;
    private static final long FOUR_GIB = 1L << 32;
    private static final long CR4_PSE = 1L << 4;
    private static final long CR4_PAE = 1L << 5;
    /** The RTC's wall clock at reset (2024-01-01T00:00:00Z): fixed, so runs are repeatable. */
    private static final long RTC_EPOCH = 1_704_067_200L;
    /** The e820 hole below 640 KiB that a PC's BIOS keeps (extended BIOS data area). */
    private static final long EBDA = 0x9fc00;
    private static final byte HLT = (byte) 0xf4;
    /** Where the boot GDT goes (below the Multiboot information); the boot stack grows down from it. */
    private static final long BOOT_GDT = 0x7000;

    private final X86MachineConfig config;
    private final GuestRam low;
    private final GuestRam high;
    private final VgaText vga = new VgaText();
    private final IoPortBus ports = new IoPortBus();
    private final Pic8259Pair pic;
    /** Null when the configuration has no PIT. */
    private final Pit8254 pit;
    private final Uart16550 uart;
    private final Mc146818 rtc;
    /** The board's devices given to this VM (camkes-vm's ioports and irqs), each with its own clock needs. */
    private final List<TimedDevice> boardDevices = new ArrayList<>();
    /** Where the lines the guest sends on a board UART go: (device, line). */
    private volatile java.util.function.BiConsumer<String, String> boardSerial = (d, line) -> deviceNote("board " + d + ": " + line);
    private final GuestRam legacyVideo;
    private final GuestRam bios;
    private final CpuidPolicy cpuid;
    private final X86Cpu cpu;

    // ---- configurable interrupt controllers, timers and virtio devices ----------------------
    /** Null without a local APIC. */
    private final LocalApic lapic;
    /** Null without an HPET. */
    private final Hpet hpet;
    private final InterruptRouter irqs;
    private final VirtioDevices virtio;
    private final List<String> deviceNotes = new ArrayList<>();

    /** Simulated time spent halted, on top of the instruction clock. */
    private long idleNs;
    private boolean halted;
    /** The guest asked for a reset (port 0xCF9). */
    private boolean resetRequested;
    /** Host time for a paced machine (simulated time follows it); null when time comes from instructions. */
    private java.util.function.LongSupplier pacedClock;
    /** A vector the engine reported in its interrupt hook, to deliver after the slice; -1 for none. */
    private int reportedVector = -1;
    private final List<CrossVmConnector> crossVm;

    public X86Machine(UnicornX86Library lib, X86MachineConfig config) {
        this(lib, config, b -> { });
    }

    /**
     * @param serialOut where the bytes the guest sends on COM1 go (0-255), on the VCPU's thread
     */
    public X86Machine(UnicornX86Library lib, X86MachineConfig config, IntConsumer serialOut) {
        this(lib, config, serialOut, name -> null);
    }

    /**
     * @param serialOut where the bytes the guest sends on COM1 go (0-255), on the VCPU's thread
     * @param dataports the shared memory of each cross-VM connector by name (at least its dataport's size),
     *                  or null for a connector nothing is connected to (it then gets memory of its own)
     */
    public X86Machine(UnicornX86Library lib, X86MachineConfig config, IntConsumer serialOut,
                      java.util.function.Function<String, java.lang.foreign.MemorySegment> dataports) {
        if (!lib.exceptionLayout().recognised()) {
            // Without clearing the engine's exception record the second guest fault becomes #DF.
            throw new IllegalStateException("this Unicorn library is not one the x86 machine can run on: "
                    + lib.exceptionLayout().failure() + " (" + lib + "; Unicorn 2.1.4 is the version checked)");
        }
        this.config = config;
        low = new GuestRam(0, X86MachineConfig.LOW_RAM);
        high = new GuestRam(X86MachineConfig.HIGH_BASE, config.ramBytes() - X86MachineConfig.HIGH_BASE);
        cpuid = new CpuidPolicy(config.lapic());
        pic = new Pic8259Pair(this::cpuLine);
        lapic = config.lapic() ? localApic(config) : null;
        irqs = new InterruptRouter(pic, lapic, config.ioapic(), this::deviceNote);
        ports.register(Pic8259Pair.MASTER_COMMAND, 2, pic, "PIC master");
        ports.register(Pic8259Pair.SLAVE_COMMAND, 2, pic, "PIC slave");
        ports.register(Pic8259Pair.ELCR_MASTER, 2, pic, "PIC ELCR");
        if (config.timers().pit()) {
            pit = new Pit8254(this::nowNs, level -> {
                if (!hpetLegacyRouting()) {
                    irqs.setIsaIrq(0, level);
                }
            });
            ports.register(Pit8254.CHANNEL0, 4, pit, "PIT");
            ports.register(Pit8254.PORT_B, 1, pit, "port B");
        } else {
            pit = null;
        }
        uart = new Uart16550(Uart16550.COM1, this::nowNs, serialOut, level -> irqs.setIsaIrq(Uart16550.COM1_IRQ, level));
        ports.register(Uart16550.COM1, 8, uart, "COM1");
        rtc = new Mc146818(this::nowNs, RTC_EPOCH, level -> {
            if (!hpetLegacyRouting()) {
                irqs.setIsaIrq(8, level);
            }
        });
        if (!config.boardRtc()) {
            ports.register(Mc146818.INDEX_PORT, 2, rtc, "RTC");
        }
        for (X86Passthrough p : config.passthrough()) {
            boardDevices.add(boardDevice(p));
        }
        hpet = config.timers().hpet() ? new Hpet(this::nowNs, new HpetLines() {
            @Override
            public void ioapic(int pin, boolean high) {
                irqs.setIoApicPin(pin, high);
            }

            @Override
            public void legacy(int isaIrq, boolean high) {
                irqs.setIsaIrq(isaIrq, high);
            }
        }) : null;
        legacyVideo = new GuestRam(X86MachineConfig.LOW_RAM, VgaText.BASE - X86MachineConfig.LOW_RAM);
        bios = new GuestRam(VgaText.BASE + VgaText.SIZE, X86MachineConfig.HIGH_BASE - VgaText.BASE - VgaText.SIZE);
        cpu = UnicornX86.open(lib, 0, UnicornX86.Mode.PROTECTED32, new Hooks());
        cpu.mapRam(0, low.segment());
        cpu.mapRam(legacyVideo.base(), legacyVideo.segment());
        cpu.mapRam(VgaText.BASE, vga.memory());
        cpu.mapRam(bios.base(), bios.segment());
        cpu.mapRam(X86MachineConfig.HIGH_BASE, high.segment());
        virtio = new VirtioDevices(config.virtio(), new SegmentGuestMemory(List.of(new GuestRegion(0, low.segment()),
                new GuestRegion(X86MachineConfig.HIGH_BASE, high.segment()))), irqs::setGsi, this::deviceNote);
        crossVm = crossVmConnectors(dataports);
        mapAboveRam(deviceRegions());
        attachPci();
    }

    /** First I/O port a BIOS would give the virtio-pci functions' BAR0s, 0x80 apart. */
    private static final int PCI_IO_BASE = 0xc000;
    /** Device number of the first virtio-pci function on bus 0 (0 is the host bridge). */
    private static final int PCI_FIRST_SLOT = 3;

    /**
     * The PCI bus on configuration mechanism #1: the host bridge and the virtio-pci functions, placed and
     * routed as a PC's firmware leaves them (BAR0 assigned, Interrupt Line written, I/O decode on, the
     * lines level-triggered in the ELCR), since Linux without ACPI or a routing table takes them as found.
     */
    private void attachPci() {
        dev.sel4sim.vmm.x86.pci.PciBus bus = dev.sel4sim.vmm.x86.pci.PciHostBridge.busWithHostBridge();
        int i = 0;
        for (X86VirtioAttachment a : virtio.attachments()) {
            if (a.pci().isEmpty()) {
                continue;
            }
            var f = a.pci().get();
            bus.attach(PCI_FIRST_SLOT + i, 0, f);
            f.assign(PCI_IO_BASE + 0x80 * i, a.spec().irq());
            levelTriggered(a.spec().irq());
            i++;
        }
        ports.register(dev.sel4sim.vmm.x86.pci.PciConfigPorts.ADDRESS, 8, new dev.sel4sim.vmm.x86.pci.PciConfigPorts(bus,
                () -> resetRequested = true), "PCI configuration");
        ports.register(dev.sel4sim.vmm.x86.pci.PciIoAperture.FIRST_PORT, dev.sel4sim.vmm.x86.pci.PciIoAperture.PORT_COUNT,
                new dev.sel4sim.vmm.x86.pci.PciIoAperture(bus), "PCI I/O BARs");
    }

    /** Marks an 8259 line level-triggered in the ELCR, as firmware does for shared PCI and device lines. */
    private void levelTriggered(int line) {
        if (line >= 16) {
            return;
        }
        int elcr = pic.read(Pic8259Pair.ELCR_MASTER, 1) | pic.read(Pic8259Pair.ELCR_SLAVE, 1) << 8 | 1 << line;
        ports.write(Pic8259Pair.ELCR_MASTER, 1, elcr & 0xff);
        ports.write(Pic8259Pair.ELCR_SLAVE, 1, elcr >>> 8);
    }

    private TimedDevice boardDevice(X86Passthrough p) {
        dev.sel4sim.vmm.x86.dev.IrqLine line = level -> {
            if (p.destIrq() >= 0) {
                irqs.setIsaIrq(p.destIrq(), level);
            }
        };
        return switch (p.kind()) {
            case CMOS_RTC -> {
                // The board's clock keeps the host's wall time; the machine's own RTC starts at a fixed date.
                Mc146818 clock = new Mc146818(this::nowNs, System.currentTimeMillis() / 1000, line);
                ports.register(p.firstPort(), p.portCount(), clock, "board " + p.device());
                yield clock;
            }
            case UART_16550 -> {
                StringBuilder pending = new StringBuilder();
                Uart16550 u = new Uart16550(p.firstPort(), this::nowNs, b -> {
                    if (b == '\n') {
                        boardSerial.accept(p.device(), pending.toString());
                        pending.setLength(0);
                    } else if (b != '\r' && pending.length() < 4096) {
                        pending.append((char) b);
                    }
                }, line);
                ports.register(p.firstPort(), p.portCount(), u, "board " + p.device());
                yield u;
            }
        };
    }

    /** Who hears the lines the guest sends on the board's UARTs given to it (by default, the VM's notes). */
    public void onBoardSerial(java.util.function.BiConsumer<String, String> lines) {
        this.boardSerial = java.util.Objects.requireNonNull(lines, "lines");
    }

    private LocalApic localApic(X86MachineConfig c) {
        LocalApic a = new LocalApic(0, this::nowNs, LocalApic.DEFAULT_BUS_HZ, this::cpuLine, ipi -> irqs.ipi(ipi),
                vector -> irqs.endOfInterrupt(vector));
        a.virtualWire();
        if (!c.timers().lapic()) {
            a.removeTimer();
        }
        return a;
    }

    private boolean hpetLegacyRouting() {
        return hpet != null && hpet.legacyReplacement();
    }

    /** A page of device registers, or (handler null) shared memory the guest reaches without exits. */
    private record MmioRegion(long base, long size, MmioHandler handler, java.lang.foreign.MemorySegment ram) {
        MmioRegion(long base, long size, MmioHandler handler) {
            this(base, size, handler, null);
        }
    }

    private List<CrossVmConnector> crossVmConnectors(java.util.function.Function<String, java.lang.foreign.MemorySegment> dataports) {
        List<CrossVmConnector> out = new ArrayList<>();
        if (config.crossVm().isEmpty()) {
            return out;
        }
        levelTriggered(X86MachineConfig.CROSS_VM_IRQ);
        for (CrossVmSpec cs : config.crossVm()) {
            java.lang.foreign.MemorySegment memory = dataports.apply(cs.name());
            if (memory == null) {
                // Freed by the garbage collector once neither the machine nor anyone else refers to it.
                memory = java.lang.foreign.Arena.ofAuto().allocate(cs.dataportSize(), CrossVmSpec.PAGE);
            }
            String source = "cross-vm " + cs.name();
            out.add(new CrossVmConnector(cs, memory, X86MachineConfig.CROSS_VM_IRQ,
                    level -> virtio.line(irqs::setGsi, X86MachineConfig.CROSS_VM_IRQ, source, level),
                    virtio.executor(), this::deviceNote));
        }
        return List.copyOf(out);
    }

    /** The device pages above RAM the configuration asks for. */
    private List<MmioRegion> deviceRegions() {
        List<MmioRegion> regions = new ArrayList<>();
        if (lapic != null) {
            regions.add(new MmioRegion(LocalApic.BASE, 0x1000, lapic));
        }
        if (irqs.ioApic() != null) {
            regions.add(new MmioRegion(IoApic.BASE, 0x1000, irqs.ioApic()));
        }
        if (hpet != null) {
            regions.add(new MmioRegion(Hpet.BASE, 0x1000, hpet));
        }
        for (X86VirtioAttachment a : virtio.attachments()) {
            a.mmio().ifPresent(t -> regions.add(new MmioRegion(a.spec().base(), X86MachineConfig.VIRTIO_WINDOW, new VirtioMmioPage(t))));
        }
        for (CrossVmConnector c : crossVm) {
            regions.add(new MmioRegion(c.spec().address(), CrossVmSpec.PAGE, c));
            regions.add(new MmioRegion(c.spec().dataportAddress(), c.spec().dataportSize(), null, c.dataport()));
        }
        regions.sort(Comparator.comparingLong(MmioRegion::base));
        return regions;
    }

    /** Maps the device pages and, around them up to 4 GiB, the open bus. */
    private void mapAboveRam(List<MmioRegion> devices) {
        OpenBus open = new OpenBus();
        long at = config.ramBytes();
        for (MmioRegion r : devices) {
            if (r.base() > at) {
                cpu.mapMmio(at, r.base() - at, open);
            }
            if (r.handler() == null) {
                cpu.mapRam(r.base(), r.ram());
            } else {
                cpu.mapMmio(r.base(), r.size(), r.handler());
            }
            at = r.base() + r.size();
        }
        if (at < FOUR_GIB) {
            cpu.mapMmio(at, FOUR_GIB - at, open);
        }
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
            cpuid.answer(c);
            return true;
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

    /**
     * Paces the machine by {@code hostNanos} (nanoseconds since the VM started), for interactive use.
     * Simulated time still comes from the instruction count while the guest runs, so timer deadlines
     * and counter reads stay exact and consistent; but a halted guest's time only catches up with the
     * host's, and {@link #run} returns {@link X86RunResult.Outcome#IDLE} while its next timer lies in the
     * host's future. The guest's clock therefore never runs ahead of the host's. Call before running.
     */
    public void pacedBy(java.util.function.LongSupplier hostNanos) {
        this.pacedClock = java.util.Objects.requireNonNull(hostNanos);
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
        MultibootBoot boot = MultibootLoader.load(kernel, multibootConfig(cmdline, modules), this::writePhysical);
        enterMultiboot(boot.entry(), MultibootHeader.BOOTLOADER_MAGIC, boot.infoAddress());
        return boot;
    }

    /**
     * Loads a Multiboot 2 kernel and puts the VCPU at its entry in the same machine state as for
     * Multiboot 1, but with EAX = 0x36D76289 and EBX = the Multiboot 2 boot information.
     */
    public Multiboot2Boot bootMultiboot2(byte[] kernel, String cmdline, java.util.List<dev.sel4sim.vmm.x86.boot.MultibootModule> modules)
            throws BootImageException {
        Multiboot2Boot boot = Multiboot2Loader.load(kernel, multibootConfig(cmdline, modules), this::writePhysical);
        enterMultiboot(boot.entry(), Multiboot2Header.BOOTLOADER_MAGIC, boot.infoAddress());
        return boot;
    }

    private MultibootConfig multibootConfig(String cmdline, java.util.List<dev.sel4sim.vmm.x86.boot.MultibootModule> modules) {
        return new MultibootConfig(cmdline, (int) (X86MachineConfig.LOW_RAM / 1024), config.upperKiB(), modules, "sel4sim");
    }

    private void enterMultiboot(long entry, int magic, long infoAddress) {
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
        cpu.setReg(X86Reg.EAX, Integer.toUnsignedLong(magic));
        cpu.setReg(X86Reg.EBX, infoAddress);
        cpu.setReg(X86Reg.EIP, entry);
        halted = false;
    }

    /**
     * The memory map the machine gives Linux: RAM below the EBDA, the EBDA and BIOS area reserved,
     * RAM from 1 MiB to the end.
     */
    public List<E820Entry> e820() {
        return List.of(new E820Entry(0, EBDA, E820Entry.RAM),
                new E820Entry(EBDA, X86MachineConfig.LOW_RAM - EBDA, E820Entry.RESERVED),
                new E820Entry(0xf0000, 0x10000, E820Entry.RESERVED),
                new E820Entry(X86MachineConfig.HIGH_BASE, config.ramBytes() - X86MachineConfig.HIGH_BASE, E820Entry.RAM));
    }

    /**
     * Loads a Linux bzImage (and an initrd, may be null) by the 32-bit boot protocol and puts the VCPU
     * at its entry: protected mode with flat 4 GiB segments from a GDT with __BOOT_CS (0x10) and
     * __BOOT_DS (0x18), paging and interrupts off, ESI = the zero page, EBP = EDI = EBX = 0.
     */
    public LinuxBoot bootLinux(byte[] bzImage, byte[] initrd, String cmdline) throws BootImageException {
        LinuxBoot boot = BzImageLoader.load(bzImage, initrd, new LinuxBootConfig(cmdline, e820(), config.ramBytes()),
                this::writePhysical);
        // null, unused, flat code (0x10), flat data (0x18)
        byte[] gdt = new byte[32];
        putDescriptor(gdt, 16, 0x00cf_9a00_0000_ffffL);
        putDescriptor(gdt, 24, 0x00cf_9200_0000_ffffL);
        low.load(BOOT_GDT, gdt);
        cpu.setReg(X86Reg.CR0, 0x11);
        cpu.setReg(X86Reg.CR4, 0);
        cpu.setGdtr(new TableRegister(BOOT_GDT, gdt.length - 1));
        cpu.setIdtr(new TableRegister(0, 0));
        cpu.setSegment(SegmentReg.CS, 0x10);
        for (SegmentReg s : new SegmentReg[] {SegmentReg.DS, SegmentReg.ES, SegmentReg.FS, SegmentReg.GS, SegmentReg.SS}) {
            cpu.setSegment(s, 0x18);
        }
        cpu.setReg(X86Reg.EFLAGS, 0x2);
        cpu.setReg(X86Reg.ESP, BOOT_GDT);
        for (X86Reg r : new X86Reg[] {X86Reg.EAX, X86Reg.EBX, X86Reg.ECX, X86Reg.EDX, X86Reg.EDI, X86Reg.EBP}) {
            cpu.setReg(r, 0);
        }
        cpu.setReg(X86Reg.ESI, boot.zeroPage());
        // What a PC BIOS leaves behind: PIT channel 0 counting in mode 3 (18.2 Hz). Linux polls the
        // counter's read-back status before it programs the PIT itself, and waits forever while
        // the channel reports "null count".
        ports.write(Pit8254.CHANNEL0 + 3, 1, 0x36);
        ports.write(Pit8254.CHANNEL0, 1, 0);
        ports.write(Pit8254.CHANNEL0, 1, 0);
        cpu.setReg(X86Reg.EIP, boot.entry());
        halted = false;
        return boot;
    }

    /** Offers a byte to COM1's receiver; false when its FIFO is full (offer it again later). */
    public boolean serialInput(int b) {
        boolean taken = uart.receive(b);
        uart.update();
        return taken;
    }

    private int readPhysical32(long address) {
        for (GuestRam r : new GuestRam[] {low, high}) {
            if (r.contains(address, 4)) {
                return r.read32(address);
            }
        }
        return -1;
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
        int fruitlessWakes = 0;
        while (cpu.instructions() - start < maxInstructions) {
            virtio.runPending();
            try {
                if (reportedVector >= 0) {
                    int v = reportedVector;
                    reportedVector = -1;
                    deliverReported(v);
                }
                boolean interruptsOn = (cpu.reg(X86Reg.EFLAGS) & IF) != 0;
                if (interruptsOn && irqs.pending()) {
                    fruitlessWakes = 0;
                    takeInterrupt();
                    interruptsOn = false;
                }
                if (halted) {
                    if (!interruptsOn) {
                        return result(X86RunResult.Outcome.HALTED, null);
                    }
                    long deadline = nextDeadlineNs();
                    if (pacedClock != null) {
                        long now = nowNs();
                        long caughtUp = Math.max(now, pacedClock.getAsLong());
                        if (deadline == TimedDevice.NO_DEADLINE || deadline > caughtUp) {
                            idleNs += caughtUp - now;
                            updateDevices();
                            if (irqs.pending()) {
                                continue;
                            }
                            return result(X86RunResult.Outcome.IDLE, null);
                        }
                    }
                    if (deadline == TimedDevice.NO_DEADLINE) {
                        return result(X86RunResult.Outcome.HALTED, null);
                    }
                    idleNs += Math.max(0, deadline - nowNs());
                    updateDevices();
                    if (++fruitlessWakes > MAX_FRUITLESS_WAKES) {
                        // Timers fire but nothing reaches the halted VCPU (a masked line): the caller gets its
                        // turn instead of this loop skipping time for ever.
                        return result(X86RunResult.Outcome.BUDGET, null);
                    }
                    continue;
                }
            } catch (DeliveryFailure e) {
                return result(X86RunResult.Outcome.FAILED, e.getMessage() + " (eip 0x" + Long.toHexString(cpu.reg(X86Reg.EIP)) + ")");
            }
            cpu.setIrqWindow(irqs.pending());
            long budget = maxInstructions - (cpu.instructions() - start);
            long deadline = nextDeadlineNs();
            if (deadline != TimedDevice.NO_DEADLINE) {
                budget = Math.min(budget, Math.max(1, (deadline - nowNs()) / config.nsPerInstruction()));
            }
            X86SliceResult r = cpu.run(budget);
            updateDevices();
            if (resetRequested) {
                return result(X86RunResult.Outcome.RESET, "the guest asked for a reset (port 0xCF9)");
            }
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

    private void deliverReported(int v) throws DeliveryFailure {
        // Vectors below 32 are the processor's exceptions (INT3 and INTO trap like INT n); above, INT n.
        boolean exception = v < 32 && v != 3 && v != 4;
        int errorCode = 0;
        if (v == PF) {
            if ((cpu.reg(X86Reg.CR4) & CR4_PAE) != 0) {
                throw new DeliveryFailure("#PF at 0x" + Long.toHexString(cpu.reg(X86Reg.CR2))
                        + " under PAE paging: only 32-bit page tables are walked for its error code");
            }
            errorCode = PageFaultErrorCode.of(cpu.reg(X86Reg.CR3), (cpu.reg(X86Reg.CR4) & CR4_PSE) != 0,
                    (cpu.reg(X86Reg.CR0) & CR0_WP) != 0, (cpu.segment(SegmentReg.CS).selector() & 3) == 3,
                    cpu.reg(X86Reg.CR2), this::readPhysical32);
        } else if (exception && InterruptDelivery.pushesErrorCode(v)) {
            errorCode = cpu.exceptionErrorCode();
        }
        if (exception) {
            // The engine keeps the exception "in flight" forever: the next fault would become #DF.
            cpu.clearExceptionInFlight();
        }
        InterruptDelivery.deliver(cpu, v, exception ? InterruptKind.EXCEPTION : InterruptKind.SOFTWARE, errorCode);
    }

    /** The simulated time at which the next timer of the machine fires; {@link TimedDevice#NO_DEADLINE} for none. */
    public long nextDeadlineNs() {
        long d = Math.min(uart.nextDeadlineNs(), rtc.nextDeadlineNs());
        for (TimedDevice b : boardDevices) {
            d = Math.min(d, b.nextDeadlineNs());
        }
        for (TimedDevice t : new TimedDevice[] {pit, lapic, hpet}) {
            if (t != null) {
                d = Math.min(d, t.nextDeadlineNs());
            }
        }
        return d;
    }

    private void updateDevices() {
        if (pit != null) {
            pit.update();
        }
        uart.update();
        rtc.update();
        for (TimedDevice b : boardDevices) {
            b.update();
        }
        if (lapic != null) {
            lapic.update();
        }
        if (hpet != null) {
            hpet.update();
        }
    }

    private void takeInterrupt() throws DeliveryFailure {
        long eip = cpu.reg(X86Reg.EIP);
        byte[] at = cpu.readLinear(cpu.segment(SegmentReg.CS).base() + eip, 1);
        if (at != null && at[0] == HLT) {
            // STI; HLT: the interrupt arrives while HLT waits and returns past it.
            cpu.setReg(X86Reg.EIP, eip + 1);
        }
        halted = false;
        InterruptDelivery.deliver(cpu, irqs.acknowledge(), InterruptKind.EXTERNAL, 0);
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

    /** The PIT, or null when the configuration has none. */
    public Pit8254 pit() {
        return pit;
    }

    /** The local APIC, or null when the configuration has none. */
    public LocalApic localApic() {
        return lapic;
    }

    /** The IOAPIC, or null when the configuration has none. */
    public IoApic ioApic() {
        return irqs.ioApic();
    }

    /** The HPET, or null when the configuration has none. */
    public Hpet hpet() {
        return hpet;
    }

    public X86MachineConfig config() {
        return config;
    }

    /** The virtio devices, in the configuration's order: the system connects their streams. */
    public List<X86VirtioAttachment> virtio() {
        return virtio.attachments();
    }

    /** The cross-VM connectors, in the configuration's order. */
    public List<CrossVmConnector> crossVm() {
        return crossVm;
    }

    /**
     * Who to tell (on a stream's thread) that device work waits for the machine's thread, for
     * instance the VMM actor, which may be idle while the VCPU sleeps in HLT. The work runs at the
     * start of the next {@link #run} and between its slices.
     */
    public void onDeviceWork(Runnable listener) {
        virtio.onWork(listener);
    }

    /** Whether device work waits to run (the VMM should run the machine rather than sleep). */
    public boolean deviceWorkPending() {
        return virtio.workPending();
    }

    /** Unusual device events, one line each (a broken virtio device, an undeliverable interrupt). */
    public List<String> deviceNotes() {
        return List.copyOf(deviceNotes);
    }

    private void deviceNote(String line) {
        deviceNotes.add(line);
    }

    public Uart16550 uart() {
        return uart;
    }

    public boolean halted() {
        return halted;
    }

    @Override
    public void close() {
        virtio.closeDisks();
        cpu.close();
        vga.close();
        legacyVideo.close();
        bios.close();
        low.close();
        high.close();
    }
}
