package dev.sel4sim.vmm.x86.pci;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * PCI bus 0: up to 32 devices of 8 functions each. Reads of an empty slot (or any other bus) return
 * all ones, which is how software learns that nothing is there.
 */
public final class PciBus {
    private final PciFunction[] functions = new PciFunction[256];
    private final List<PciFunction> attached = new ArrayList<>();

    /**
     * Places {@code function} at {@code device}.{@code fn} on bus 0.
     *
     * @throws IllegalArgumentException when the slot is taken or out of range (a configuration error)
     */
    public void attach(int device, int fn, PciFunction function) {
        if (device < 0 || device > 31 || fn < 0 || fn > 7) {
            throw new IllegalArgumentException(String.format("PCI slot %02x.%x does not exist", device, fn));
        }
        int devfn = device << 3 | fn;
        if (functions[devfn] != null) {
            throw new IllegalArgumentException(String.format("PCI slot 00:%02x.%x is already taken", device, fn));
        }
        functions[devfn] = function;
        attached.add(function);
    }

    /** Every attached function, in the order of attachment (read-only). */
    public List<PciFunction> functions() {
        return Collections.unmodifiableList(attached);
    }

    /** The function at 00:{@code device}.{@code fn}, or null. */
    public PciFunction function(int device, int fn) {
        return functions[(device & 31) << 3 | (fn & 7)];
    }

    public int configRead(int bus, int device, int fn, int offset, int size) {
        PciFunction f = bus == 0 ? function(device, fn) : null;
        if (f == null) {
            return size >= 4 ? -1 : (1 << (8 * size)) - 1;
        }
        return f.configRead(offset, size);
    }

    public void configWrite(int bus, int device, int fn, int offset, int size, int value) {
        PciFunction f = bus == 0 ? function(device, fn) : null;
        if (f != null) {
            f.configWrite(offset, size, value);
        }
    }
}
