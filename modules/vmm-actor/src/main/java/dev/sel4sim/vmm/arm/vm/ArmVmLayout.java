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
        int spiCount) {

    public static ArmVmLayout qemuVirt() {
        return new ArmVmLayout(0x0800_0000L, 0x0801_0000L, 0x080a_0000L, 0x0900_0000L, 33, 0x0901_0000L, 34, 128);
    }
}
