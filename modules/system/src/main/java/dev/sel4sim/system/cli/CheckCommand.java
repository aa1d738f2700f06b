package dev.sel4sim.system.cli;

import dev.sel4sim.system.assembly.BuiltSystem;
import dev.sel4sim.system.assembly.CapabilityTables;
import dev.sel4sim.system.assembly.Systems;
import dev.sel4sim.system.config.SystemConfigException;
import dev.sel4sim.system.config.SystemSpec;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code sel4sim check FILE}: validate a system and print its capability distribution. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Check a system file and print the capability distribution: one table per component (slot, object, rights, badge).")
final class CheckCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "system file (default: vm_minimal, one Linux VM)")
    Path file;

    @Override
    public Integer call() {
        try {
            SystemSpec spec = file == null ? Systems.defaultSystem() : Systems.load(file);
            BuiltSystem built = Systems.build(spec);
            try {
                System.out.print(CapabilityTables.render(built));
                for (dev.sel4sim.system.config.VmSpec vm : spec.vms()) {
                    System.out.printf("vm %s: %d VCPU%s (%s), %d MiB RAM, GICv%d, %s%s%n", vm.name(), vm.vcpus(),
                            vm.vcpus() == 1 ? "" : "s", vm.cpu(), vm.ramSize() >> 20, vm.gic(),
                            vm.kernel().map(k -> "kernel " + k).orElseGet(() -> "firmware " + vm.firmware().orElse("?")),
                            vm.initrd().map(i -> ", initrd " + i).orElse(""));
                }
            } finally {
                built.kernel().timeline().close();
            }
            return ExitCodes.OK;
        } catch (SystemConfigException e) {
            ConfigErrors.print(e);
            return ExitCodes.CONFIG;
        }
    }
}
