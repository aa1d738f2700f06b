package dev.sel4sim.vmm.arm.dt;

import dev.sel4sim.boards.MemoryRegion;
import dev.sel4sim.vmm.boot.fdt.FdtNode;
import dev.sel4sim.vmm.boot.fdt.FdtWriter;

/**
 * Builds the device tree blob of one AArch64 VM from a {@link VmDeviceTreeSpec}, following the Linux
 * bindings: {@code arm/psci}, {@code timer/arm,arch_timer}, {@code interrupt-controller/arm,gic} and
 * {@code arm,gic-v3}, {@code serial/pl011}, {@code rtc/pl031}, {@code virtio/mmio}.
 *
 * <p>The root has two address and two size cells, so every {@code reg} is (64-bit address, 64-bit size).
 * Interrupts are inherited from the root's {@code interrupt-parent}, the GIC. Phandles are fixed:
 * {@link #GIC_PHANDLE} and {@link #APB_PCLK_PHANDLE}, so passthrough nodes can refer to them.
 *
 * <p>The blob's size depends on which parts are present and on the strings, never on the initrd addresses
 * (always two 64-bit values): build once with a placeholder range to learn the size for
 * {@code BootLayout}, then again with the real one.
 */
public final class ArmVmDeviceTree {

    /** The interrupt controller's phandle. */
    public static final int GIC_PHANDLE = 1;
    /** The 24 MHz {@code apb-pclk} fixed clock's phandle, for PrimeCell devices. */
    public static final int APB_PCLK_PHANDLE = 2;
    /** The APB clock's rate, as QEMU's virt machine has it. */
    public static final int APB_PCLK_HZ = 24_000_000;
    /** The {@code model} property. */
    public static final String MODEL = "sel4sim";

    private ArmVmDeviceTree() {
    }

    /**
     * @param spec what the VM has
     * @return the DTB, ready to copy into guest RAM
     */
    public static byte[] build(VmDeviceTreeSpec spec) {
        FdtWriter w = new FdtWriter();
        w.bootCpuidPhys(spec.gic().cpuAffinity(0));
        w.beginNode("");
        w.propertyU32("interrupt-parent", GIC_PHANDLE);
        w.propertyU32("#address-cells", 2);
        w.propertyU32("#size-cells", 2);
        w.propertyString("compatible", "linux,dummy-virt");
        w.propertyString("model", MODEL);

        psci(w, spec);
        for (MemoryRegion ram : spec.memory()) {
            w.beginNode("memory@" + hex(ram.base()));
            w.propertyString("device_type", "memory");
            w.propertyReg("reg", 2, 2, ram.base(), ram.size());
            w.endNode();
        }
        cpus(w, spec);
        timer(w, spec);
        gic(w, spec);
        w.beginNode("apb-pclk");
        w.propertyString("compatible", "fixed-clock");
        w.propertyU32("#clock-cells", 0);
        w.propertyU32("clock-frequency", APB_PCLK_HZ);
        w.propertyString("clock-output-names", "clk24mhz");
        w.propertyPhandle(APB_PCLK_PHANDLE);
        w.endNode();
        spec.pl011().ifPresent(uart -> {
            w.beginNode(pl011NodeName(uart));
            w.propertyStrings("compatible", "arm,pl011", "arm,primecell");
            w.propertyReg("reg", 2, 2, uart.region().base(), uart.region().size());
            w.propertyCells("interrupts", GicInterruptSpecifier.spi(uart.intid(), IrqTrigger.LEVEL_HIGH));
            w.propertyCells("clocks", APB_PCLK_PHANDLE, APB_PCLK_PHANDLE);
            w.propertyStrings("clock-names", "uartclk", "apb_pclk");
            w.endNode();
        });
        spec.pl031().ifPresent(rtc -> {
            w.beginNode("rtc@" + hex(rtc.region().base()));
            w.propertyStrings("compatible", "arm,pl031", "arm,primecell");
            w.propertyReg("reg", 2, 2, rtc.region().base(), rtc.region().size());
            w.propertyCells("interrupts", GicInterruptSpecifier.spi(rtc.intid(), IrqTrigger.LEVEL_HIGH));
            w.propertyCells("clocks", APB_PCLK_PHANDLE);
            w.propertyString("clock-names", "apb_pclk");
            w.endNode();
        });
        for (VirtioMmioSlot slot : spec.virtio()) {
            w.beginNode("virtio_mmio@" + hex(slot.base()));
            w.propertyString("compatible", "virtio,mmio");
            w.propertyReg("reg", 2, 2, slot.base(), VirtioMmioSlot.SIZE);
            w.propertyCells("interrupts", GicInterruptSpecifier.spi(slot.intid(), slot.trigger()));
            w.propertyEmpty("dma-coherent");
            w.endNode();
        }
        for (FdtNode extra : spec.extraNodes()) {
            w.node(extra);
        }
        chosen(w, spec);
        spec.pl011().ifPresent(uart -> {
            w.beginNode("aliases");
            w.propertyString("serial0", "/" + pl011NodeName(uart));
            w.endNode();
        });
        w.endNode();
        return w.finish();
    }

    /**
     * @param spec a VM description
     * @return the path of its PL011 node, as {@code stdout-path} names it, or empty without one
     */
    public static java.util.Optional<String> stdoutPath(VmDeviceTreeSpec spec) {
        return spec.pl011().map(uart -> "/" + pl011NodeName(uart));
    }

    private static void psci(FdtWriter w, VmDeviceTreeSpec spec) {
        w.beginNode("psci");
        w.propertyStrings("compatible", "arm,psci-1.0", "arm,psci-0.2");
        w.propertyString("method", spec.psci().dtValue());
        w.endNode();
    }

    private static void cpus(FdtWriter w, VmDeviceTreeSpec spec) {
        w.beginNode("cpus");
        w.propertyU32("#address-cells", 1);
        w.propertyU32("#size-cells", 0);
        for (int i = 0; i < spec.cpuCount(); i++) {
            int affinity = spec.gic().cpuAffinity(i);
            w.beginNode("cpu@" + Integer.toHexString(affinity));
            w.propertyString("device_type", "cpu");
            w.propertyString("compatible", "arm,armv8");
            w.propertyU32("reg", affinity);
            w.propertyString("enable-method", "psci");
            w.endNode();
        }
        w.endNode();
    }

    private static void timer(FdtWriter w, VmDeviceTreeSpec spec) {
        ArchTimerSpec t = spec.timer();
        // A GICv2 PPI names the CPU interfaces it reaches; the GICv3 binding has no such field.
        int mask = spec.gic() instanceof GicSpec.V2 ? (1 << spec.cpuCount()) - 1 : 0;
        int[] cells = new int[12];
        int[] intids = {t.securePhysIntid(), t.nonSecurePhysIntid(), t.virtualIntid(), t.hypIntid()};
        for (int i = 0; i < 4; i++) {
            System.arraycopy(GicInterruptSpecifier.ppi(intids[i], t.trigger(), mask), 0, cells, i * 3, 3);
        }
        w.beginNode("timer");
        w.propertyString("compatible", "arm,armv8-timer");
        w.propertyCells("interrupts", cells);
        t.clockFrequencyHz().ifPresent(hz -> w.propertyU32("clock-frequency", (int) hz));
        w.endNode();
    }

    private static void gic(FdtWriter w, VmDeviceTreeSpec spec) {
        MemoryRegion dist = spec.gic().distributor();
        w.beginNode("intc@" + hex(dist.base()));
        switch (spec.gic()) {
            case GicSpec.V2 v2 -> {
                w.propertyString("compatible", "arm,cortex-a15-gic");
                w.propertyU32("#interrupt-cells", 3);
                w.propertyEmpty("interrupt-controller");
                w.propertyReg("reg", 2, 2, dist.base(), dist.size(),
                        v2.cpuInterface().base(), v2.cpuInterface().size());
            }
            case GicSpec.V3 v3 -> {
                MemoryRegion redist = v3.redistributors(spec.cpuCount());
                w.propertyString("compatible", "arm,gic-v3");
                w.propertyU32("#interrupt-cells", 3);
                w.propertyEmpty("interrupt-controller");
                w.propertyU32("#redistributor-regions", 1);
                w.propertyReg("reg", 2, 2, dist.base(), dist.size(), redist.base(), redist.size());
            }
        }
        // An interrupt controller that is no interrupt-map parent takes no address cells.
        w.propertyU32("#address-cells", 0);
        w.propertyPhandle(GIC_PHANDLE);
        w.endNode();
    }

    private static void chosen(FdtWriter w, VmDeviceTreeSpec spec) {
        w.beginNode("chosen");
        w.propertyString("bootargs", spec.bootargs());
        stdoutPath(spec).ifPresent(path -> w.propertyString("stdout-path", path));
        spec.initrd().ifPresent(range -> {
            w.propertyU64("linux,initrd-start", range.start());
            w.propertyU64("linux,initrd-end", range.end());
        });
        w.endNode();
    }

    private static String pl011NodeName(MmioDeviceSpec uart) {
        return "pl011@" + hex(uart.region().base());
    }

    private static String hex(long value) {
        return Long.toHexString(value);
    }
}
