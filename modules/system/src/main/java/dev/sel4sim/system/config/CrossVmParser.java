package dev.sel4sim.system.config;

import com.typesafe.config.Config;
import dev.sel4sim.vmm.arm.vm.ArmVmLayout;
import dev.sel4sim.vmm.arm.vm.ArmVmSpec;
import dev.sel4sim.vmm.crossvm.CrossVmRegisters;
import dev.sel4sim.vmm.crossvm.CrossVmSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a VM's {@code cross-vm} list: each connector's name, dataport size and guest-physical address, checked
 * against the VM's RAM, the VM's emulated devices and the other connectors.
 */
public final class CrossVmParser {
    private static final Set<String> KEYS = Set.of("name", "dataport", "address");
    private static final long MAX_DATAPORT = 64L << 20;

    private CrossVmParser() {
    }

    /** @param x86 an x86 VM: placement is checked with the machine's other rules (X86Checks), not the ARM layout's */
    static List<CrossVmConnectorSpec> connectors(String file, List<ConfigError> errors, Config vm, String vmName, long ramBase,
                                                 long ramSize, boolean x86) {
        List<CrossVmConnectorSpec> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        boolean firmware = vm.hasPath("firmware");
        for (Reader d : SystemParser.objects(vm, "cross-vm", file, errors, "vm '" + vmName + "' cross-vm connector")) {
            d.onlyKeys(KEYS);
            String name = d.string("name", true).orElse("?");
            boolean ok = true;
            if (!name.matches("[A-Za-z0-9_-]{1," + CrossVmRegisters.NAME_MAX + "}")) {
                d.error("name", ": cross-vm connector name '" + name + "'", "1 to " + CrossVmRegisters.NAME_MAX
                        + " letters, digits, '-' and '_' (a connection refers to it as " + vmName + ".NAME)");
                ok = false;
            } else if (!names.add(name)) {
                d.error("name", ": vm '" + vmName + "' has two cross-vm connectors named '" + name + "'", "a different name for each");
                ok = false;
            }
            long size = d.size("dataport", false).orElse(CrossVmSpec.PAGE);
            if (size <= 0 || size % CrossVmSpec.PAGE != 0 || size > MAX_DATAPORT) {
                d.error("dataport", ": cross-vm connector '" + name + "' dataport of " + size + " bytes",
                        "a whole number of 4 KiB frames up to 64M, e.g. 4K or 8K");
                ok = false;
            }
            Optional<Long> address = d.integer("address", true);
            if (address.isPresent() && (address.get() < 0 || address.get() % CrossVmSpec.PAGE != 0)) {
                d.error("address", String.format(": cross-vm connector '%s' at 0x%x is not 4 KiB aligned", name, address.get()),
                        "a page-aligned guest-physical address outside RAM, e.g. 0xdf000000");
                ok = false;
            }
            if (!ok || address.isEmpty()) {
                continue;
            }
            CrossVmConnectorSpec c = new CrossVmConnectorSpec(name, size, address.get(), d.line());
            if (x86) {
                out.add(c);
            } else {
                List<CrossVmSpec> placed = new ArrayList<>(out.stream().map(CrossVmParser::vmSide).toList());
                placed.add(vmSide(c));
                try {
                    ArmVmSpec.checkCrossVm("'" + vmName + "'", ramBase, ramSize, firmware ? 0 : -1, ArmVmLayout.qemuVirt(), placed);
                    out.add(c);
                } catch (IllegalArgumentException e) {
                    d.error("address", ": " + e.getMessage().replaceFirst("^VM [^:]*: ", ""), String.format("an address where registers and dataport (0x%x bytes) "
                            + "meet nothing else, e.g. above the VM's RAM", CrossVmSpec.PAGE + size));
                }
            }
        }
        if (out.size() > ArmVmSpec.CROSS_VM_MAX) {
            errors.add(new ConfigError(file, out.get(ArmVmSpec.CROSS_VM_MAX).line(), "vm '" + vmName + "' has " + out.size()
                    + " cross-vm connectors", "at most " + ArmVmSpec.CROSS_VM_MAX));
        }
        return out;
    }

    /** The connector as the VMM takes it. */
    public static CrossVmSpec vmSide(CrossVmConnectorSpec c) {
        return new CrossVmSpec(c.name(), c.address(), c.dataportSize());
    }
}
