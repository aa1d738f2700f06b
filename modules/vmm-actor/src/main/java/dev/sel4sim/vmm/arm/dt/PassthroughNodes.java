package dev.sel4sim.vmm.arm.dt;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import dev.sel4sim.boards.AddressSpace;
import dev.sel4sim.boards.PassthroughDevice;
import dev.sel4sim.vmm.boot.fdt.FdtNode;
import dev.sel4sim.vmm.boot.fdt.FdtProperty;

/** Device tree nodes for devices a board passes through to a VM. */
public final class PassthroughNodes {

    /** Arm PrimeCell peripherals, which Linux probes on the AMBA bus only with an {@code apb_pclk} clock. */
    private static final Pattern PRIMECELL = Pattern.compile("arm,(pl\\d{3}|sp\\d{3})");

    private PassthroughNodes() {
    }

    /**
     * A node {@code <name>@<base>} with the device's {@code compatible}, {@code reg} (two address and two size
     * cells, as the VM's root has) and its interrupts: SPIs active-high level, PPIs active-low level. A PrimeCell
     * ({@code arm,plNNN} or {@code arm,spNNN}) also gets {@code arm,primecell} and the APB clock.
     *
     * @param device an MMIO device of the board
     * @return its node
     * @throws IllegalArgumentException for a port-I/O device, which has no place in an ARM device tree
     */
    public static FdtNode fromBoard(PassthroughDevice device) {
        if (device.space() != AddressSpace.MMIO) {
            throw new IllegalArgumentException("device " + device.name() + " is not memory-mapped");
        }
        boolean primecell = PRIMECELL.matcher(device.compatible()).matches();
        List<FdtProperty> props = new ArrayList<>();
        props.add(primecell ? FdtProperty.strings("compatible", device.compatible(), "arm,primecell")
                : FdtProperty.string("compatible", device.compatible()));
        props.add(new FdtProperty("reg", java.nio.ByteBuffer.allocate(16)
                .putLong(device.region().base()).putLong(device.region().size()).array()));
        if (!device.irqs().isEmpty()) {
            int[] cells = new int[device.irqs().size() * 3];
            for (int i = 0; i < device.irqs().size(); i++) {
                int intid = device.irqs().get(i);
                int[] spec = intid < 32 ? GicInterruptSpecifier.ppi(intid, IrqTrigger.LEVEL_LOW, 0)
                        : GicInterruptSpecifier.spi(intid, IrqTrigger.LEVEL_HIGH);
                System.arraycopy(spec, 0, cells, i * 3, 3);
            }
            props.add(FdtProperty.cells("interrupts", cells));
        }
        if (primecell) {
            props.add(FdtProperty.u32("clocks", ArmVmDeviceTree.APB_PCLK_PHANDLE));
            props.add(FdtProperty.string("clock-names", "apb_pclk"));
        }
        return new FdtNode(device.name() + "@" + Long.toHexString(device.region().base()), props, List.of());
    }
}
