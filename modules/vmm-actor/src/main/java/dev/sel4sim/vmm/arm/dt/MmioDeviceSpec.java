package dev.sel4sim.vmm.arm.dt;

import java.util.Objects;

import dev.sel4sim.boards.MemoryRegion;

/**
 * A memory-mapped device with one SPI, such as the PL011 UART or the PL031 RTC.
 *
 * @param region the register window
 * @param intid  its interrupt as a GIC INTID (an SPI, 32..1019), active-high level
 */
public record MmioDeviceSpec(MemoryRegion region, int intid) {

    /** Checks the interrupt is an SPI. */
    public MmioDeviceSpec {
        Objects.requireNonNull(region, "region");
        if (intid < 32 || intid > 1019) {
            throw new IllegalArgumentException("device interrupt must be an SPI INTID (32..1019), got " + intid);
        }
    }

    /** @return a device at {@code base} with a window of {@code size} bytes */
    public static MmioDeviceSpec of(long base, long size, int intid) {
        return new MmioDeviceSpec(new MemoryRegion(base, size), intid);
    }
}
