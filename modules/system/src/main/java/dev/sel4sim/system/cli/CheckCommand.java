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
                    if (dev.sel4sim.system.assembly.VmLauncher.x86(spec)) {
                        System.out.printf("vm %s: x86 PC, 1 VCPU (%s), %d MiB RAM, %s, 16550 COM1, kernel %s%s%n",
                                vm.name(), vm.cpu(), vm.ramSize() >> 20,
                                vm.x86().passthrough().stream().anyMatch(p -> !p.uart()) ? "the board's CMOS RTC" : "MC146818 RTC", vm.kernel().orElse("?"), vm.initrd().map(i -> ", initrd " + i).orElse(""));
                        System.out.printf("  timers and interrupts: %s%n", vm.x86().describe());
                        for (var d : vm.virtio()) {
                            System.out.printf("  virtio-%s %s on %s%s%s%n", d.type(), d.name(), d.transport(),
                                    d.address().map(a -> String.format(" at 0x%x", a)).orElse(""), d.irq().map(i -> ", line " + i).orElse(""));
                        }
                        for (var c : vm.crossVm()) {
                            System.out.printf("  cross-vm %s: registers at 0x%x, dataport at 0x%x (%d KiB), line %d%n", c.name(),
                                    c.address(), c.address() + dev.sel4sim.vmm.crossvm.CrossVmSpec.PAGE, c.dataportSize() >> 10,
                                    dev.sel4sim.vmm.x86.vm.X86MachineConfig.CROSS_VM_IRQ);
                        }
                        for (var p : vm.x86().passthrough()) {
                            System.out.printf("  passthrough %s: ports 0x%x-0x%x%s%n", p.device(), p.firstPort(), p.firstPort() + p.portCount() - 1,
                                    p.destIrq() >= 0 ? ", its interrupt on line " + p.destIrq() : ", interrupt not routed");
                        }
                        var ept = spec.board().stage2();
                        System.out.printf("  EPT: %d-bit guest-physical, %d levels (board %s)%n",
                                ept.paBits(), ept.levels(), spec.board().id());
                        continue;
                    }
                    System.out.printf("vm %s: %d VCPU%s (%s), %d MiB RAM, GICv%d, %s%s%n", vm.name(), vm.vcpus(),
                            vm.vcpus() == 1 ? "" : "s", vm.cpu(), vm.ramSize() >> 20, vm.gic(),
                            vm.kernel().map(k -> "kernel " + k).orElseGet(() -> "firmware " + vm.firmware().orElse("?")),
                            vm.initrd().map(i -> ", initrd " + i).orElse(""));
                    var smc = dev.sel4sim.system.assembly.VmLauncher.smcPolicy(spec, vm);
                    System.out.printf("  SMC policy %s%s%s%n", smc.mode().name().toLowerCase(),
                            smc.rules().isEmpty() ? "" : " " + smc.rules().keySet().stream().sorted().map(id -> String.format("0x%08x", id)).toList(),
                            vm.smc().isPresent() ? " (the VM's own)" : " (board " + spec.board().id() + " default)");
                    var s2 = spec.board().stage2();
                    System.out.printf("  stage-2 translation: %d-bit IPA, %d levels from level %d%s (board %s)%n", s2.paBits(), s2.levels(),
                            s2.startLevel(), s2.concatenatedTables() > 1 ? ", " + s2.concatenatedTables() + " concatenated tables at the start" : "",
                            spec.board().id());
                    for (var d : vm.virtio()) {
                        System.out.printf("  virtio-%s %s%s%s%n", d.type(), d.name(), d.mac().map(m -> " mac " + m).orElse(""),
                                d.image().map(i -> " image " + i + (d.readOnly() ? " (read-only)" : d.writeThrough()
                                        ? " (write-through)" : " (copy-on-write)")).orElse(""));
                    }
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
