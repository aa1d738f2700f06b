package dev.sel4sim.vmm.arm.vm;

import dev.sel4sim.boards.MemoryRegion;
import dev.sel4sim.vmm.arm.CpuTopology;
import dev.sel4sim.vmm.arm.dev.Pl011;
import dev.sel4sim.vmm.arm.dev.Pl031;
import dev.sel4sim.vmm.arm.dt.ArmVmDeviceTree;
import dev.sel4sim.vmm.arm.dt.GicSpec;
import dev.sel4sim.vmm.arm.dt.MmioDeviceSpec;
import dev.sel4sim.vmm.arm.dt.VmDeviceTreeSpec;
import dev.sel4sim.vmm.arm.gic.GicV2;
import dev.sel4sim.vmm.arm.gic.GicV3;
import dev.sel4sim.vmm.arm.psci.PsciHandler;
import dev.sel4sim.vmm.arm.psci.SmcGate;
import dev.sel4sim.vmm.arm.psci.SmcPolicy;
import dev.sel4sim.vmm.arm.timer.GenericTimer;
import dev.sel4sim.vmm.cpu.unicorn.UnicornArm64;
import dev.sel4sim.vmm.cpu.unicorn.UnicornLibrary;
import dev.sel4sim.vmm.mem.GuestRam;
import dev.sel4sim.vmm.crossvm.CrossVmConnector;
import dev.sel4sim.vmm.crossvm.CrossVmSpec;

import dev.sel4sim.virtio.blk.DiskImage;
import dev.sel4sim.virtio.blk.VirtioBlk;
import dev.sel4sim.virtio.console.VirtioConsole;
import dev.sel4sim.virtio.device.VirtioDevice;
import dev.sel4sim.virtio.mem.GuestMemory;
import dev.sel4sim.virtio.mem.SegmentGuestMemory;
import dev.sel4sim.virtio.mmio.VirtioMmioTransport;
import dev.sel4sim.virtio.net.MacAddress;
import dev.sel4sim.virtio.net.NetConfig;
import dev.sel4sim.virtio.net.VirtioNet;
import dev.sel4sim.virtio.stream.GuestWorkQueue;
import dev.sel4sim.vmm.arm.dt.VirtioMmioSlot;
import dev.sel4sim.vmm.boot.ImageSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Builds an {@link ArmVm} from its spec: guest RAM, one Unicorn engine per VCPU, the GIC
 * of the chosen version, a generic timer per VCPU, PL011 and PL031, PSCI and the SMC
 * policy; then loads the images and a generated device tree and points VCPU 0 at them.
 */
public final class ArmVmBuilder {
    private static final long PAGE_2M = 2L << 20;

    private ArmVmBuilder() {
    }

    /** Builds and boots a VM; {@code console} receives what the guest writes to its UART. */
    public static ArmVm build(ArmVmSpec spec, UnicornLibrary lib, IntConsumer console) {
        return build(spec, lib, console, SmcPolicy.denyAll());
    }

    public static ArmVm build(ArmVmSpec spec, UnicornLibrary lib, IntConsumer console, SmcPolicy smcPolicy) {
        return build(spec, lib, console, smcPolicy, name -> null);
    }

    /**
     * Builds and boots a VM whose cross-VM dataports are memory the caller shares with their components.
     *
     * @param dataports the memory of each cross-VM connector's dataport, by connector name; for a name it
     *                  maps to null the VM allocates zeroed memory of its own
     */
    public static ArmVm build(ArmVmSpec spec, UnicornLibrary lib, IntConsumer console, SmcPolicy smcPolicy,
                              java.util.function.Function<String, java.lang.foreign.MemorySegment> dataports) {
        ArmVmLayout layout = spec.layout();
        CpuTopology topology = CpuTopology.linear(spec.vcpus(), 8);
        int lines = 32 + layout.spiCount();
        VmGic gic;
        GicSpec gicSpec;
        if (spec.gicVersion() == 2) {
            gic = GicAdapters.v2(new GicV2(spec.vcpus(), lines), layout);
            gicSpec = new GicSpec.V2(new MemoryRegion(layout.gicDistributor(), 0x1_0000),
                    new MemoryRegion(layout.gicCpuInterface(), 0x1_0000));
        } else {
            gic = GicAdapters.v3(new GicV3(topology, lines), layout);
            gicSpec = new GicSpec.V3(new MemoryRegion(layout.gicDistributor(), 0x1_0000), layout.gicRedistributors());
        }
        ArmVm[] vmRef = new ArmVm[1];
        List<VmTimer> timers = new ArrayList<>();
        for (int i = 0; i < spec.vcpus(); i++) {
            int id = i;
            timers.add(new TimerAdapter(new GenericTimer(spec.timerFrequencyHz(), () -> vmRef[0].counterNow(vmRef[0].vcpus().get(id)))));
        }
        Pl011 uart = new Pl011(console, high -> {
            gic.setSpi(layout.uartIntid(), high);
            if (vmRef[0] != null) {
                vmRef[0].wakeForInterrupts();
            }
        });
        // The RTC reads the simulated clock from a fixed epoch: the same run gives the same date.
        Pl031 rtc = new Pl031(() -> vmRef[0].now(), 1_767_225_600L);
        List<VmGic.Region> mmio = new ArrayList<>(List.of(
                ArmVm.region("pl011", layout.uart(), 0x1000, uart),
                ArmVm.region("pl031", layout.rtc(), 0x1000, rtc)));
        GuestRam ram = new GuestRam(spec.ramBase(), spec.ramSize());
        // Device work from stream threads runs on the VM's thread between slices (see GuestWorkQueue).
        GuestWorkQueue work = new GuestWorkQueue(() -> {
            ArmVm v = vmRef[0];
            if (v != null) {
                v.deviceWorkArrived();
            }
        });
        List<VirtioAttachment> virtio = virtioDevices(spec, ram, gic, work, vmRef);
        for (VirtioAttachment a : virtio) {
            mmio.add(ArmVm.region("virtio " + a.spec().name(), a.slot().base(), VirtioWindow.PAGE, new VirtioWindow(a.transport())));
        }
        List<CrossVmConnector> crossVm = crossVmConnectors(spec, gic, work, vmRef, dataports);
        for (CrossVmConnector c : crossVm) {
            mmio.add(ArmVm.region("cross-vm " + c.spec().name(), c.spec().address(), CrossVmSpec.PAGE, c));
        }
        List<GuestRam> rom = new ArrayList<>();
        if (spec.firmware().isPresent()) {
            // Both flash banks of QEMU virt: the firmware at 0, its environment at 64 MiB (read through memory).
            rom.add(new GuestRam(spec.firmwareBase(), 128L << 20));
        }
        UnicornArm64.Model model = switch (spec.cpuModel()) {
            case "cortex-a57" -> UnicornArm64.Model.CORTEX_A57;
            case "cortex-a72" -> UnicornArm64.Model.CORTEX_A72;
            case "max" -> UnicornArm64.Model.MAX;
            default -> UnicornArm64.Model.CORTEX_A53;
        };
        Hypercalls calls = new PsciHypercalls(new PsciHandler(topology), new SmcGate(smcPolicy));
        ArmVm vm = new ArmVm(spec, topology, ram, rom, gic, timers, uart, calls, mmio, (i, vcpu) -> UnicornArm64.open(lib, i, model, vcpu));
        vmRef[0] = vm;
        vm.faults(new GuestAborts(vm));
        vm.attachVirtio(work, virtio);
        vm.attachCrossVm(crossVm);
        try {
            boot(vm, spec, gicSpec, rom);
        } catch (RuntimeException e) {
            vm.close();
            throw e;
        }
        return vm;
    }

    private static void boot(ArmVm vm, ArmVmSpec spec, GicSpec gicSpec, List<GuestRam> rom) {
        ArmVmLayout layout = spec.layout();
        GuestRam ram = vm.ram();
        VmDeviceTreeSpec.Builder dt = VmDeviceTreeSpec.builder(List.of(new MemoryRegion(spec.ramBase(), spec.ramSize())),
                        spec.vcpus(), gicSpec)
                .pl011(MmioDeviceSpec.of(layout.uart(), 0x1000, layout.uartIntid()))
                .pl031(MmioDeviceSpec.of(layout.rtc(), 0x1000, layout.rtcIntid()))
                .bootargs(spec.bootargs());
        for (VirtioAttachment a : vm.virtio()) {
            dt.virtio(a.slot());
        }
        for (CrossVmConnector c : vm.crossVm()) {
            dt.extraNode(crossVmNode(c));
        }
        try {
            if (spec.kernel().isPresent() && isElf(spec.kernel().get())) {
                bootElf(vm, spec, dt);
            } else if (spec.kernel().isPresent()) {
                ImageSource kernel = spec.kernel().get();
                long kernelSize = kernel.size();
                dev.sel4sim.vmm.boot.LinuxImage image = dev.sel4sim.vmm.boot.LinuxImage.parseHeader(kernel.head(0x400), kernelSize);
                long kernelAt = image.loadAddress(spec.ramBase());
                long kernelEnd = kernelAt + Math.max(image.footprint(), kernelSize);
                if (kernelEnd > ram.end()) {
                    throw new IllegalArgumentException("VM " + spec.name() + ": the kernel (" + kernelSize
                            + " bytes) does not fit in " + (spec.ramSize() >> 20) + " MiB of RAM");
                }
                load(ram, kernelAt, kernel);
                // Like QEMU: the initrd halfway into RAM (at most 128 MiB in), the DTB 2 MiB-aligned after it.
                long initrdAt = align(Math.max(kernelEnd, spec.ramBase() + Math.min(spec.ramSize() / 2, 128L << 20)), PAGE_2M);
                long dtbAt = initrdAt;
                if (spec.initrd().isPresent()) {
                    long initrdSize = spec.initrd().get().size();
                    if (initrdAt + initrdSize > ram.end()) {
                        throw new IllegalArgumentException("VM " + spec.name() + ": the initrd does not fit in RAM");
                    }
                    load(ram, initrdAt, spec.initrd().get());
                    dt.initrd(initrdAt, initrdAt + initrdSize);
                    dtbAt = align(initrdAt + initrdSize, PAGE_2M);
                }
                byte[] dtb = ArmVmDeviceTree.build(dt.build());
                if (dtbAt + dtb.length > ram.end()) {
                    throw new IllegalArgumentException("VM " + spec.name() + ": no room for the initrd and device tree in RAM");
                }
                ram.load(dtbAt, dtb);
                vm.start(kernelAt, dtbAt);
            } else {
                // U-Boot's qemu_arm64 build runs from flash at 0 and finds its device tree at the start of RAM.
                byte[] fw = spec.firmware().get().readAll();
                GuestRam flash = rom.getFirst();
                if (fw.length > flash.size()) {
                    throw new IllegalArgumentException("VM " + spec.name() + ": firmware larger than its 128 MiB flash");
                }
                flash.load(spec.firmwareBase(), fw);
                byte[] dtb = ArmVmDeviceTree.build(dt.build());
                ram.load(spec.ramBase(), dtb);
                vm.start(spec.firmwareBase(), spec.ramBase());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("VM " + spec.name() + ": " + e.getMessage(), e);
        } catch (dev.sel4sim.vmm.boot.BootImageException e) {
            throw new IllegalArgumentException("VM " + spec.name() + ": " + e.getMessage(), e);
        }
    }

    /** One device and transport per virtio spec, window i at the layout's i-th slot and SPI. */
    private static List<VirtioAttachment> virtioDevices(ArmVmSpec spec, GuestRam ram, VmGic gic, GuestWorkQueue work, ArmVm[] vmRef) {
        ArmVmLayout layout = spec.layout();
        GuestMemory memory = SegmentGuestMemory.of(ram.base(), ram.segment());
        List<VirtioAttachment> out = new ArrayList<>();
        List<DiskImage> disks = new ArrayList<>();
        for (int i = 0; i < spec.virtio().size(); i++) {
            VirtioSpec vs = spec.virtio().get(i);
            VirtioMmioSlot slot = VirtioMmioSlot.of(layout.virtioWindow(i), layout.virtioIntid() + i);
            VirtioDevice device = switch (vs.kind()) {
                case CONSOLE -> new VirtioConsole(work);
                case NET -> new VirtioNet(work, NetConfig.of(MacAddress.parse(vs.mac().orElse(defaultMac(spec.name(), vs.name())))));
                case BLOCK -> {
                    DiskImage disk = openDisk(spec, vs, disks);
                    disks.add(disk);
                    yield new VirtioBlk(disk, vs.name());
                }
            };
            int intid = slot.intid();
            VirtioMmioTransport transport = new VirtioMmioTransport(device, memory, vs.mode(), level -> {
                gic.setSpi(intid, level);
                if (level && vmRef[0] != null) {
                    vmRef[0].wakeForInterrupts();
                }
            }, error -> {
                if (vmRef[0] != null) {
                    vmRef[0].note("virtio " + vs.name() + " is broken until the guest resets it: " + error);
                }
            });
            out.add(new VirtioAttachment(vs, device, transport, slot));
        }
        return out;
    }

    /**
     * A block device's image: a host file opened in the spec's mode, or an image from a file server held in memory
     * (copy-on-write or read-only). On failure the disks opened so far are closed.
     */
    private static DiskImage openDisk(ArmVmSpec spec, VirtioSpec vs, List<DiskImage> opened) {
        try {
            return dev.sel4sim.vmm.boot.DiskImages.open(vs.image().orElseThrow(), vs.diskMode(),
                    "VM " + spec.name() + ": virtio-blk " + vs.name());
        } catch (RuntimeException e) {
            closeAll(opened);
            throw e;
        }
    }

    private static void closeAll(List<DiskImage> disks) {
        for (DiskImage d : disks) {
            try {
                d.close();
            } catch (IOException ignored) {
                // Already failing: the first error is the one to report.
            }
        }
    }

    /** One connector per spec: its register page trapped, its dataport shared memory, SPI 80 + i. */
    private static List<CrossVmConnector> crossVmConnectors(ArmVmSpec spec, VmGic gic, GuestWorkQueue work, ArmVm[] vmRef,
                                                            java.util.function.Function<String, java.lang.foreign.MemorySegment> dataports) {
        List<CrossVmConnector> out = new ArrayList<>();
        for (int i = 0; i < spec.crossVm().size(); i++) {
            CrossVmSpec cs = spec.crossVm().get(i);
            java.lang.foreign.MemorySegment memory = dataports.apply(cs.name());
            if (memory == null) {
                // Freed by the garbage collector once neither the VM nor anyone else refers to it.
                memory = java.lang.foreign.Arena.ofAuto().allocate(cs.dataportSize(), CrossVmSpec.PAGE);
            }
            int intid = ArmVmSpec.CROSS_VM_INTID + i;
            out.add(new CrossVmConnector(cs, memory, intid, level -> {
                gic.setSpi(intid, level);
                if (level && vmRef[0] != null) {
                    vmRef[0].wakeForInterrupts();
                }
            }, work, line -> {
                if (vmRef[0] != null) {
                    vmRef[0].note(line);
                }
            }));
        }
        return out;
    }

    /**
     * A node that documents a connector for the guest: no Linux driver binds to it, so busybox devmem can use
     * both windows (reg: the register page, then the dataport).
     */
    private static dev.sel4sim.vmm.boot.fdt.FdtNode crossVmNode(CrossVmConnector c) {
        CrossVmSpec cs = c.spec();
        java.nio.ByteBuffer reg = java.nio.ByteBuffer.allocate(32)
                .putLong(cs.address()).putLong(CrossVmSpec.PAGE).putLong(cs.dataportAddress()).putLong(cs.dataportSize());
        return new dev.sel4sim.vmm.boot.fdt.FdtNode("cross-vm@" + Long.toHexString(cs.address()), List.of(
                dev.sel4sim.vmm.boot.fdt.FdtProperty.string("compatible", "sel4sim,cross-vm-connector"),
                new dev.sel4sim.vmm.boot.fdt.FdtProperty("reg", reg.array()),
                dev.sel4sim.vmm.boot.fdt.FdtProperty.strings("reg-names", "events", "dataport"),
                dev.sel4sim.vmm.boot.fdt.FdtProperty.cells("interrupts",
                        dev.sel4sim.vmm.arm.dt.GicInterruptSpecifier.spi(c.irq(), dev.sel4sim.vmm.arm.dt.IrqTrigger.LEVEL_HIGH)),
                dev.sel4sim.vmm.boot.fdt.FdtProperty.string("label", cs.name())), List.of());
    }

    /** A locally administered MAC derived from the VM's and the device's names: the same on every run. */
    static String defaultMac(String vm, String device) {
        int h = (vm + "/" + device).hashCode();
        return String.format("52:54:00:%02x:%02x:%02x", (h >>> 16) & 0xff, (h >>> 8) & 0xff, h & 0xff);
    }

    private static boolean isElf(ImageSource image) throws IOException {
        byte[] magic = image.head(4);
        return magic.length == 4 && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F';
    }

    /** An image into guest RAM: a file is mapped and copied, anything else read through the heap. */
    private static void load(GuestRam ram, long pa, ImageSource image) throws IOException {
        if (image.file().isPresent()) {
            ram.load(pa, image.file().get());
        } else {
            ram.load(pa, image.readAll());
        }
    }

    /**
     * An ELF64 AArch64 executable: each PT_LOAD segment copied to its physical address (the rest
     * of memsz stays zero), the DTB 2 MiB-aligned after the highest segment, x0 = DTB, as for an
     * Image.
     */
    private static void bootElf(ArmVm vm, ArmVmSpec spec, VmDeviceTreeSpec.Builder dt)
            throws IOException, dev.sel4sim.vmm.boot.BootImageException {
        byte[] file = spec.kernel().get().readAll();
        dev.sel4sim.vmm.boot.ElfImage elf = dev.sel4sim.vmm.boot.ElfImage.parse(file);
        GuestRam ram = vm.ram();
        long end = 0;
        for (dev.sel4sim.vmm.boot.ElfSegment seg : elf.segments()) {
            if (!ram.contains(seg.physicalAddress(), seg.memorySize())) {
                throw new IllegalArgumentException(String.format("VM %s: ELF segment at 0x%x (+0x%x) is outside the VM's RAM"
                        + " 0x%x-0x%x", spec.name(), seg.physicalAddress(), seg.memorySize(), ram.base(), ram.end()));
            }
            byte[] bytes = java.util.Arrays.copyOfRange(file, (int) seg.fileOffset(), (int) (seg.fileOffset() + seg.fileSize()));
            ram.load(seg.physicalAddress(), bytes);
            end = Math.max(end, seg.physicalAddress() + seg.memorySize());
        }
        long dtbAt = align(end, PAGE_2M);
        byte[] dtb = ArmVmDeviceTree.build(dt.build());
        if (!ram.contains(dtbAt, dtb.length)) {
            throw new IllegalArgumentException("VM " + spec.name() + ": no room for the device tree after the ELF image");
        }
        ram.load(dtbAt, dtb);
        vm.start(elf.entryPhysical(), dtbAt);
    }

    private static long align(long v, long a) {
        return (v + a - 1) & -a;
    }
}
