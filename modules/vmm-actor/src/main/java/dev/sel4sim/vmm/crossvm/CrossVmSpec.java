package dev.sel4sim.vmm.crossvm;

import java.util.Objects;

/**
 * A cross-VM connector as a VM is given it: where the guest finds it, not what it connects to (the system
 * wires that). The guest sees a 4 KiB page of event registers at {@code address} ({@link CrossVmRegisters})
 * and the dataport right after it.
 *
 * @param name         the connector's name in the system file (unique in its VM); the guest reads it from
 *                     the register page
 * @param address      guest-physical address of the register page (4 KiB aligned)
 * @param dataportSize bytes of the dataport: a whole number of 4 KiB frames
 */
public record CrossVmSpec(String name, long address, long dataportSize) {
    /** A frame: the unit of the dataport and of the register page. */
    public static final long PAGE = 0x1000;

    public CrossVmSpec {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.length() > CrossVmRegisters.NAME_MAX) {
            throw new IllegalArgumentException("cross-VM connector name '" + name + "' must have 1.."
                    + CrossVmRegisters.NAME_MAX + " characters");
        }
        if (address < 0 || address % PAGE != 0) {
            throw new IllegalArgumentException("cross-VM connector " + name + ": address 0x" + Long.toHexString(address)
                    + " is not 4 KiB aligned");
        }
        if (dataportSize <= 0 || dataportSize % PAGE != 0) {
            throw new IllegalArgumentException("cross-VM connector " + name + ": dataport of " + dataportSize
                    + " bytes is not a whole number of 4 KiB frames");
        }
        if (address + PAGE + dataportSize < address) {
            throw new IllegalArgumentException("cross-VM connector " + name + " wraps around the address space");
        }
    }

    /** Guest-physical address of the dataport: the page after the registers. */
    public long dataportAddress() {
        return address + PAGE;
    }

    /** The first address after the connector (registers and dataport). */
    public long end() {
        return dataportAddress() + dataportSize;
    }
}
