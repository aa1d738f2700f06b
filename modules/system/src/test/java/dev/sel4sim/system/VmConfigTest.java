package dev.sel4sim.system;

import dev.sel4sim.system.assembly.Systems;
import dev.sel4sim.system.assembly.VmLauncher;
import dev.sel4sim.system.config.ConfigError;
import dev.sel4sim.system.config.SystemConfigException;
import dev.sel4sim.system.config.SystemSpec;
import dev.sel4sim.vmm.arm.psci.SmcDecision;
import dev.sel4sim.vmm.arm.psci.SmcPolicy;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The vms section of a system file: values, defaults, the SMC policy line, and errors with their lines. */
class VmConfigTest {
    static final String FILE = "conf/systems/vm.conf";

    static String system(String vm) {
        return "system {\n"                     // 1
                + "  name = v\n"                 // 2
                + "  board = qemu-arm-virt\n"    // 3
                + "  vms = [\n"                  // 4
                + vm                             // 5..
                + "  ]\n"
                + "}\n";
    }

    static List<ConfigError> errors(String text) {
        return assertThrows(SystemConfigException.class, () -> Systems.loadText(text, FILE)).errors();
    }

    @Test
    void aVmWithDefaults() {
        SystemSpec s = Systems.loadText(system("    { name = vm0, kernel = \"guest:arm64/Image\" }\n"), FILE);
        var vm = s.vms().getFirst();
        assertEquals(1, vm.vcpus());
        assertEquals(256L << 20, vm.ramSize());
        assertEquals(2, vm.gic());
        assertEquals("cortex-a53", vm.cpu());
    }

    @Test
    void theSipSmcOfTheLibvmmReportIsOneLineOfConfig() {
        SystemSpec s = Systems.loadText(system("    { name = vm0, kernel = \"k\", "
                + "smc { policy = emulate, calls = [ { id = \"0xc2000006\", x0 = 0 } ] } }\n"), FILE);
        SmcPolicy p = VmLauncher.smcPolicy(s, s.vms().getFirst());
        assertInstanceOf(SmcDecision.Handle.class, p.decide(0xc2000006));
        assertInstanceOf(SmcDecision.Deny.class, p.decide(0xc2000007));
    }

    @Test
    void withoutAnSmcSectionTheBoardsPolicyApplies() {
        // zcu102's board file allows two SiP calls of its firmware; a VM without an smc section inherits that.
        SystemSpec s = Systems.loadText(system("    { name = vm0, kernel = \"k\" }\n").replace("qemu-arm-virt", "zcu102"), FILE);
        SmcPolicy p = VmLauncher.smcPolicy(s, s.vms().getFirst());
        assertInstanceOf(SmcDecision.Forward.class, p.decide(0xc2000001));
        assertInstanceOf(SmcDecision.Deny.class, p.decide(0xc2000006));
    }

    @Test
    void vmRamComesFromUntypedMemoryAndASecondBigVmDoesNotFit() {
        String two = system("    { name = vm0, ram = 512M, kernel = k }\n"
                + "    { name = vm1, ram = 512M, kernel = k }\n");
        SystemConfigException e = assertThrows(SystemConfigException.class, () -> Systems.build(Systems.loadText(two, FILE)));
        assertEquals(1, e.errors().size(), e.errors().toString());
        String msg = e.errors().getFirst().toString();
        assertTrue(msg.startsWith(FILE + ":6: ") && msg.contains("memory region 'vm1.ram' of 512 MiB does not fit in any single untyped"),
                msg);
        var built = Systems.build(Systems.loadText(system("    { name = vm0, ram = 512M, kernel = k }\n"), FILE));
        built.kernel().timeline().close();
    }

    @Test
    void errorsNameTheLineAndTheFix() {
        List<ConfigError> e = errors(system("    { name = vm0, vcpus = 9, gic = 4, kernel = \"k\" }\n"));
        assertEquals(2, e.size(), e.toString());
        assertTrue(e.stream().allMatch(x -> x.toString().startsWith(FILE + ":5: ")), e.toString());
        assertTrue(e.toString().contains("1 to 8") && e.toString().contains("2 or 3"), e.toString());

        List<ConfigError> none = errors(system("    { name = vm0 }\n"));
        assertTrue(none.getFirst().toString().contains("neither a kernel nor a firmware"), none.toString());

        List<ConfigError> smc = errors(system("    { name = vm0, kernel = k, smc { policy = emulate, calls = [ { id = \"0xc2000006\" } ] } }\n"));
        assertTrue(smc.getFirst().toString().contains("has no result") && smc.getFirst().toString().contains("x0 ="), smc.toString());
    }
}
