package dev.sel4sim.vmm.x86.vm;

import dev.sel4sim.vmm.crossvm.CrossVmSpec;
import dev.sel4sim.vmm.x86.pci.PciConfigPorts;
import dev.sel4sim.vmm.x86.pci.PciIoAperture;
import dev.sel4sim.vmm.x86.pic.Pic8259Pair;
import dev.sel4sim.vmm.x86.pit.Pit8254;
import dev.sel4sim.vmm.x86.rtc.Mc146818;
import dev.sel4sim.vmm.x86.uart.Uart16550;
import dev.sel4sim.vmm.x86.apic.IoApic;
import dev.sel4sim.vmm.x86.apic.LocalApic;
import dev.sel4sim.vmm.x86.hpet.Hpet;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A PC: RAM below 640 KiB and from 1 MiB, the VGA text buffer, the 8259 pair, COM1 and the RTC,
 * and what the configuration chooses: the timers, the local APIC (0xFEE00000) and IOAPIC
 * (0xFEC00000), and virtio-mmio devices at fixed addresses.
 *
 * @param ramBytes          total RAM; what lies above 1 MiB is {@code ramBytes - 1 MiB}
 * @param nsPerInstruction  simulated time per counted guest instruction
 * @param timers            which timers exist ({@code use_pit}, {@code use_hpet}, {@code use_lapic})
 * @param lapic             the local APIC exists (CPUID then says so); interrupts go through it
 * @param ioapic            the IOAPIC exists (needs the local APIC)
 * @param virtio            virtio-mmio devices, each at its own address and interrupt line
 * @param crossVm           cross-VM connectors: register page and dataport between RAM and 4 GiB, all on
 *                          the shared level-triggered ISA line {@link #CROSS_VM_IRQ}
 * @param passthrough       board devices given to this VM (I/O ports and, where routed, their interrupt)
 */
public record X86MachineConfig(long ramBytes, long nsPerInstruction, X86Timers timers, boolean lapic, boolean ioapic,
                               List<X86VirtioSpec> virtio, List<CrossVmSpec> crossVm, List<X86Passthrough> passthrough) {
    /**
     * The ISA line every cross-VM connector raises (level-triggered, shared: the STATUS registers tell
     * which): 9, the line a PC's chipset leaves free for such uses (ACPI's SCI when there is ACPI).
     */
    public static final int CROSS_VM_IRQ = 9;
    /** At most this many cross-VM connectors per VM. */
    public static final int CROSS_VM_MAX = 8;
    public static final long LOW_RAM = 640 * 1024;
    public static final long HIGH_BASE = 0x10_0000;
    /** The size of a virtio-mmio window as the machine maps it: one page. */
    public static final long VIRTIO_WINDOW = 0x1000;
    private static final long FOUR_GIB = 1L << 32;
    /** Pages a PC keeps for its interrupt controllers and the HPET, used or not. */
    private static final List<Long> RESERVED_PAGES = List.of(IoApic.BASE, Hpet.BASE, LocalApic.BASE);
    /** ISA lines of the machine's own devices: PIT (and its IOAPIC input 2), COM1, RTC. */
    private static final Set<Integer> MACHINE_IRQS = Set.of(0, 2, 4, 8);

    public X86MachineConfig {
        if (ramBytes < 2 * HIGH_BASE || (ramBytes & 0xfff) != 0 || ramBytes > 0xc000_0000L) {
            throw new IllegalArgumentException("RAM of " + ramBytes + " bytes: give 2 MiB to 3 GiB, page aligned");
        }
        if (nsPerInstruction <= 0) {
            throw new IllegalArgumentException("nsPerInstruction must be positive");
        }
        Objects.requireNonNull(timers, "timers");
        virtio = List.copyOf(Objects.requireNonNull(virtio, "virtio"));
        if (timers.lapic() && !lapic) {
            throw new IllegalArgumentException("the local APIC timer (use_lapic) needs the local APIC: set lapic");
        }
        if (ioapic && !lapic) {
            throw new IllegalArgumentException("an IOAPIC delivers to a local APIC: set lapic too, or drop the IOAPIC");
        }
        checkVirtio(ramBytes, ioapic, virtio);
        crossVm = List.copyOf(Objects.requireNonNull(crossVm, "crossVm"));
        checkCrossVm(ramBytes, virtio, crossVm);
        passthrough = List.copyOf(Objects.requireNonNull(passthrough, "passthrough"));
        checkPassthrough(timers, virtio, crossVm, passthrough);
    }

    /** A PC with these cross-VM connectors and no board devices. */
    public X86MachineConfig(long ramBytes, long nsPerInstruction, X86Timers timers, boolean lapic, boolean ioapic,
                            List<X86VirtioSpec> virtio, List<CrossVmSpec> crossVm) {
        this(ramBytes, nsPerInstruction, timers, lapic, ioapic, virtio, crossVm, List.of());
    }

    /** A PC without cross-VM connectors. */
    public X86MachineConfig(long ramBytes, long nsPerInstruction, X86Timers timers, boolean lapic, boolean ioapic,
                            List<X86VirtioSpec> virtio) {
        this(ramBytes, nsPerInstruction, timers, lapic, ioapic, virtio, List.of(), List.of());
    }

    /** A PC with the PIT and the 8259 pair only (no APICs, no HPET, no virtio). */
    public X86MachineConfig(long ramBytes, long nsPerInstruction) {
        this(ramBytes, nsPerInstruction, X86Timers.PIT_ONLY, false, false, List.of());
    }

    /** This configuration with other timers. */
    public X86MachineConfig withTimers(X86Timers t) {
        return new X86MachineConfig(ramBytes, nsPerInstruction, t, lapic, ioapic, virtio, crossVm, passthrough);
    }

    /** This configuration with or without the local APIC and the IOAPIC. */
    public X86MachineConfig withApics(boolean localApic, boolean ioApic) {
        return new X86MachineConfig(ramBytes, nsPerInstruction, timers, localApic, ioApic, virtio, crossVm, passthrough);
    }

    /** This configuration with these virtio devices. */
    public X86MachineConfig withVirtio(List<X86VirtioSpec> devices) {
        return new X86MachineConfig(ramBytes, nsPerInstruction, timers, lapic, ioapic, devices, crossVm, passthrough);
    }

    /** This configuration with these board devices. */
    public X86MachineConfig withPassthrough(List<X86Passthrough> devices) {
        return new X86MachineConfig(ramBytes, nsPerInstruction, timers, lapic, ioapic, virtio, crossVm, devices);
    }

    /** Whether the board's CMOS clock stands in for the machine's own RTC. */
    public boolean boardRtc() {
        return hasBoardRtc(passthrough);
    }

    private static boolean hasBoardRtc(List<X86Passthrough> passthrough) {
        return passthrough.stream().anyMatch(p -> p.kind() == X86Passthrough.Kind.CMOS_RTC);
    }

    /** This configuration with these cross-VM connectors. */
    public X86MachineConfig withCrossVm(List<CrossVmSpec> connectors) {
        return new X86MachineConfig(ramBytes, nsPerInstruction, timers, lapic, ioapic, virtio, connectors, passthrough);
    }

    /** Memory from 1 MiB up, in KiB (Multiboot's mem_upper). */
    public long upperKiB() {
        return (ramBytes - HIGH_BASE) / 1024;
    }

    /** The machine's own ports: a board device given to the VM must not sit on them. */
    private record Ports(String what, int first, int count) {
        boolean overlaps(X86Passthrough p) {
            return p.firstPort() < first + count && first < p.firstPort() + p.portCount();
        }
    }

    private static final List<Ports> MACHINE_PORTS = List.of(
            new Ports("the PIC pair", Pic8259Pair.MASTER_COMMAND, 2), new Ports("the PIC pair", Pic8259Pair.SLAVE_COMMAND, 2),
            new Ports("the ELCR", Pic8259Pair.ELCR_MASTER, 2), new Ports("the PIT", Pit8254.CHANNEL0, 4),
            new Ports("port B", Pit8254.PORT_B, 1), new Ports("COM1 (the VM's console)", Uart16550.COM1, 8),
            new Ports("PCI configuration", PciConfigPorts.ADDRESS, 8),
            new Ports("the PCI I/O aperture", PciIoAperture.FIRST_PORT, PciIoAperture.PORT_COUNT));

    private static void checkPassthrough(X86Timers timers, List<X86VirtioSpec> virtio, List<CrossVmSpec> crossVm,
                                         List<X86Passthrough> passthrough) {
        Set<Integer> taken = new HashSet<>(Set.of(2, 4));
        if (timers.pit()) {
            taken.add(0);
        }
        if (!hasBoardRtc(passthrough)) {
            taken.add(8);
        }
        virtio.forEach(v -> taken.add(v.irq()));
        if (!crossVm.isEmpty()) {
            taken.add(CROSS_VM_IRQ);
        }
        List<X86Passthrough> seen = new java.util.ArrayList<>();
        for (X86Passthrough p : passthrough) {
            String what = String.format("passthrough %s (ports 0x%x-0x%x)", p.device(), p.firstPort(), p.firstPort() + p.portCount() - 1);
            for (Ports m : MACHINE_PORTS) {
                if (m.overlaps(p)) {
                    throw new IllegalArgumentException(String.format("%s: the ports overlap %s at 0x%x-0x%x", what, m.what(), m.first(),
                            m.first() + m.count() - 1));
                }
            }
            if (p.kind() != X86Passthrough.Kind.CMOS_RTC && p.firstPort() < Mc146818.INDEX_PORT + 2
                    && p.firstPort() + p.portCount() > Mc146818.INDEX_PORT) {
                throw new IllegalArgumentException(what + ": ports 0x70-0x71 are the RTC's");
            }
            for (X86Passthrough o : seen) {
                if (p.firstPort() < o.firstPort() + o.portCount() && o.firstPort() < p.firstPort() + p.portCount()) {
                    throw new IllegalArgumentException(what + ": the ports overlap passthrough " + o.device());
                }
            }
            seen.add(p);
            if (p.destIrq() >= 0 && !taken.add(p.destIrq())) {
                throw new IllegalArgumentException(what + ": the VM's line " + p.destIrq() + " is already used (PIT 0, cascade 2, COM1 4,"
                        + " RTC 8, virtio, cross-VM 9, or another passthrough)");
            }
        }
    }

    private static void checkCrossVm(long ramBytes, List<X86VirtioSpec> virtio, List<CrossVmSpec> crossVm) {
        if (crossVm.isEmpty()) {
            return;
        }
        if (crossVm.size() > CROSS_VM_MAX) {
            throw new IllegalArgumentException("at most " + CROSS_VM_MAX + " cross-VM connectors, not " + crossVm.size());
        }
        record Window(String what, long base, long end) {
        }
        List<Window> taken = new java.util.ArrayList<>();
        for (long page : RESERVED_PAGES) {
            taken.add(new Window(String.format("the page at 0x%x (IOAPIC, HPET or local APIC)", page), page, page + 0x1000));
        }
        for (X86VirtioSpec v : virtio) {
            if (v.irq() == CROSS_VM_IRQ) {
                throw new IllegalArgumentException("virtio " + v.name() + ": line " + CROSS_VM_IRQ
                        + " is the cross-VM connectors' line; choose another");
            }
            if (v.transport() == X86VirtioSpec.Transport.MMIO) {
                taken.add(new Window("virtio " + v.name(), v.base(), v.base() + VIRTIO_WINDOW));
            }
        }
        Set<String> names = new HashSet<>();
        for (CrossVmSpec c : crossVm) {
            String what = "cross-VM connector " + c.name();
            if (!names.add(c.name())) {
                throw new IllegalArgumentException(what + ": the name is used twice; give each connector its own");
            }
            if (c.address() < ramBytes || c.end() > FOUR_GIB) {
                throw new IllegalArgumentException(String.format("%s at 0x%x-0x%x: registers and dataport must lie between"
                        + " the end of RAM (0x%x) and 4 GiB, e.g. at 0xdf000000", what, c.address(), c.end() - 1, ramBytes));
            }
            for (Window w : taken) {
                if (c.address() < w.end() && w.base() < c.end()) {
                    throw new IllegalArgumentException(String.format("%s at 0x%x-0x%x overlaps %s at 0x%x-0x%x",
                            what, c.address(), c.end() - 1, w.what(), w.base(), w.end() - 1));
                }
            }
            taken.add(new Window(what, c.address(), c.end()));
        }
    }

    private static void checkVirtio(long ramBytes, boolean ioapic, List<X86VirtioSpec> virtio) {
        Set<String> names = new HashSet<>();
        Set<Long> pages = new HashSet<>();
        Set<Integer> lines = new HashSet<>();
        for (X86VirtioSpec v : virtio) {
            String what = "virtio " + v.name();
            if (!names.add(v.name())) {
                throw new IllegalArgumentException(what + ": the name is used twice; give each device its own");
            }
            int irq = v.irq();
            int max = ioapic ? IoApic.PINS - 1 : 15;
            if (irq < 0 || irq > max || MACHINE_IRQS.contains(irq)) {
                throw new IllegalArgumentException(what + ": interrupt line " + irq + "; give "
                        + (ioapic ? "an IOAPIC input 1-23" : "an 8259 input 1-15 (there is no IOAPIC)")
                        + " other than 2, 4 and 8 (PIT cascade/override, COM1, RTC)");
            }
            if (v.transport() == X86VirtioSpec.Transport.PCI) {
                // PCI INTx lines may be shared (level-triggered); the BAR is the guest's to place.
                continue;
            }
            long base = v.base();
            if ((base & (VIRTIO_WINDOW - 1)) != 0 || base < ramBytes || base > FOUR_GIB - VIRTIO_WINDOW) {
                throw new IllegalArgumentException(String.format("%s: window at 0x%x; give a page-aligned address"
                        + " between the end of RAM (0x%x) and 4 GiB", what, base, ramBytes));
            }
            if (RESERVED_PAGES.contains(base)) {
                throw new IllegalArgumentException(String.format("%s: 0x%x is the page of the IOAPIC, HPET or local"
                        + " APIC; choose another page (0xFEB00000 is free)", what, base));
            }
            if (!pages.add(base)) {
                throw new IllegalArgumentException(String.format("%s: another virtio device is already at 0x%x", what, base));
            }
            if (!lines.add(irq)) {
                throw new IllegalArgumentException(what + ": interrupt line " + irq + " is another virtio device's;"
                        + " give each device its own line");
            }
        }
    }
}
