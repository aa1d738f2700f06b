package dev.sel4sim.vmm.arm.vm;

/**
 * Guest-physical addresses of a VM's emulated devices and their interrupt numbers
 * (SPI INTIDs). The defaults follow QEMU's "virt" machine, which is what Debian's kernel
 * and U-Boot's qemu_arm64 build expect.
 */
public record ArmVmLayout(
        long gicDistributor,
        long gicCpuInterface,
        long gicRedistributors,
        long uart,
        int uartIntid,
        long rtc,
        int rtcIntid,
        int spiCount,
        long virtioBase,
        int virtioIntid,
        int virtioSlots) {

    /**
     * QEMU virt's map; its virtio-mmio windows (0x0a000000, SPI 16 up) are placed a 4 KiB page
     * apart here instead of 0x200, so each can be trapped on its own.
     */
    public static ArmVmLayout qemuVirt() {
        return new ArmVmLayout(0x0800_0000L, 0x0801_0000L, 0x080a_0000L, 0x0900_0000L, 33, 0x0901_0000L, 34, 128,
                0x0a00_0000L, 48, 32);
    }

    /** The guest-physical address of virtio-mmio window {@code i}. */
    public long virtioWindow(int i) {
        return virtioBase + i * 0x1000L;
    }
}
