package dev.sel4sim.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sel4sim.servers.Wiring;
import dev.sel4sim.system.assembly.BuiltSystem;
import dev.sel4sim.system.assembly.Systems;
import dev.sel4sim.system.config.ConfigError;
import dev.sel4sim.system.config.ConnectionSpec;
import dev.sel4sim.system.config.SystemConfigException;
import dev.sel4sim.system.config.SystemSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** cross-vm connectors in a system file: what they become, and the errors, each at its line. */
class CrossVmConfigTest {
    static final String FILE = "conf/systems/x.conf";

    /** A system with one VM (connectors {@code cross}) and a component, a string-reverse if {@code conns} connect it. */
    static String system(String cross, String conns) {
        String kind = conns.isEmpty() ? "reverse" : "string-reverse";
        return "system {\n"                                                                   // 1
                + "  name = x\n"                                                               // 2
                + "  board = qemu-arm-virt\n"                                                  // 3
                + "  components = [ { name = rev, kind = " + kind + ", priority = 100 } ]\n" // 4
                + "  vms = [ { name = vm0, kernel = \"k\", ram = 256M\n"                       // 5
                + "    cross-vm = [\n"                                                         // 6
                + cross                                                                        // 7..
                + "    ] } ]\n"
                + "  connections = [\n"
                + conns
                + "  ]\n"
                + "}\n";
    }

    static final String TWO = "      { name = src, dataport = 4K, address = 0xdf000000 }\n"   // 7
            + "      { name = dest, dataport = 8K, address = 0xdf002000 }\n";                  // 8
    static final String BOTH = "    { type = cross-vm, from = vm0.src, to = rev }\n"           // 11
            + "    { type = cross-vm, from = vm0.dest, to = rev }\n";                          // 12

    static List<ConfigError> errors(String text) {
        return assertThrows(SystemConfigException.class, () -> Systems.loadText(text, FILE)).errors();
    }

    static ConfigError only(List<ConfigError> errors) {
        assertEquals(1, errors.size(), errors.toString());
        return errors.getFirst();
    }

    @Test
    void connectorsBecomeVmDevicesAndTheComponentGetsCapsAndTheSameMemory() {
        SystemSpec s = Systems.loadText(system(TWO, BOTH), FILE);
        var vm = s.vms().getFirst();
        assertEquals(2, vm.crossVm().size());
        assertEquals(8192, vm.crossVm("dest").orElseThrow().dataportSize());
        assertEquals(new ConnectionSpec.CrossVm("src", "vm0", "src", "rev", 11), s.connections().getFirst());

        BuiltSystem built = Systems.build(s);
        Wiring w = built.components().get("rev").wiring();
        assertTrue(w.has("src") && w.has(Wiring.fromGuest("src")) && w.has(Wiring.toGuest("src")) && w.has("dest"), w.caps().toString());
        assertEquals(8192, w.dataport("dest").byteSize());
        assertSame(w.dataport("src"), built.crossVm().dataport("vm0", "src"), "the component and the VM share one segment");
        assertNull(built.crossVm().dataport("vm0", "nothing"));
        var view = built.components().get("rev").view();
        assertEquals(0x1L, view.capAt((int) w.cap(Wiring.toGuest("src"))).badge(), "src is the VM's connector 0");
        assertEquals(0x2L, view.capAt((int) w.cap(Wiring.toGuest("dest"))).badge());
        assertTrue(built.kernel().untypeds().stream().anyMatch(u -> u.freeOffset() > 0), "frames come from untyped memory");
    }

    @Test
    void theSeedSystemParsesAndBuilds() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(root.resolve("conf/systems"))) {
            root = root.getParent();
        }
        SystemSpec s = Systems.load(root.resolve("conf/systems/vm_cross_connector.conf"));
        BuiltSystem built = Systems.build(s);
        assertEquals(4096, built.crossVm().dataport("vm0", "dest").byteSize());
        assertEquals("string-reverse", s.component("reverser").orElseThrow().kind());
    }

    @Test
    void aConnectorInRamIsAnErrorAtItsAddress() {
        ConfigError e = only(errors(system("      { name = src, dataport = 4K, address = 0x48000000 }\n", "")));
        assertEquals(7, e.line());
        assertTrue(e.problem().contains("cross-VM connector src") && e.problem().contains("overlaps RAM"), e.problem());
        assertTrue(e.expected().contains("above the VM's RAM"), e.expected());
    }

    @Test
    void connectorsMayNotOverlapEachOtherOrTheUart() {
        List<ConfigError> es = errors(system("      { name = a, dataport = 8K, address = 0xdf000000 }\n"
                + "      { name = b, address = 0xdf002000 }\n"
                + "      { name = c, address = 0x9000000 }\n", ""));
        assertEquals(2, es.size(), es.toString());
        assertEquals(8, es.get(0).line());
        assertTrue(es.get(0).problem().contains("overlaps cross-VM connector a"), es.get(0).problem());
        assertEquals(9, es.get(1).line());
        assertTrue(es.get(1).problem().contains("PL011"), es.get(1).problem());
    }

    @Test
    void malformedConnectorsAreErrorsAtTheirLines() {
        List<ConfigError> es = errors(system("      { name = \"a b\", address = 0xdf000000 }\n"
                + "      { name = ok, dataport = 100, address = 0xdf004000 }\n"
                + "      { name = odd, address = 0xdf006800 }\n"
                + "      { name = ok2, adress = 0xdf008000 }\n", ""));
        assertEquals(List.of(7, 8, 9, 10, 10), es.stream().map(ConfigError::line).toList(), es.toString());
        assertTrue(es.get(0).problem().contains("'a b'"), es.get(0).problem());
        assertTrue(es.get(1).expected().contains("4 KiB frames"), es.get(1).expected());
        assertTrue(es.get(2).problem().contains("not 4 KiB aligned"), es.get(2).problem());
        assertTrue(es.stream().anyMatch(e -> e.problem().contains("unknown setting 'adress'")), es.toString());
        assertTrue(es.stream().anyMatch(e -> e.problem().contains("missing 'address'")), es.toString());
    }

    @Test
    void connectionsMustNameAConnectorAComponentAndUseEachConnectorOnce() {
        List<ConfigError> es = errors(system(TWO, "    { type = cross-vm, from = vm0.src, to = rev }\n"
                + "    { type = cross-vm, name = again, from = vm0.src, to = rev }\n"
                + "    { type = cross-vm, name = nope, from = vm0.nope, to = rev }\n"
                + "    { type = cross-vm, name = nobody, from = vm0.dest, to = ghost }\n"
                + "    { type = cross-vm, name = flat, from = vm0, to = rev }\n"));
        assertTrue(es.stream().anyMatch(e -> e.line() == 12 && e.problem().contains("vm0.src is connected twice (first at line 11)")), es.toString());
        assertTrue(es.stream().anyMatch(e -> e.line() == 13 && e.problem().contains("has no cross-vm connector 'nope'")
                && e.expected().contains("[dest, src]")), es.toString());
        assertTrue(es.stream().anyMatch(e -> e.line() == 14 && e.problem().contains("unknown component 'ghost'")), es.toString());
        assertTrue(es.stream().anyMatch(e -> e.line() == 15 && e.expected().contains("VM.CONNECTOR")), es.toString());
    }

    @Test
    void stringReverseSettingsMustNameItsOwnConnections() {
        String text = system(TWO, BOTH).replace("priority = 100 }", "priority = 100, settings { src = src, dest = out } }");
        ConfigError e = only(errors(text));
        assertEquals(4, e.line());
        assertTrue(e.problem().contains("settings.dest = out is not a cross-vm connection to it"), e.problem());
        assertTrue(e.expected().contains("[dest, src]"), e.expected());
    }
}
