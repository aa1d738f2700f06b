package dev.sel4sim.system;

import static org.junit.jupiter.api.Assertions.*;

import dev.sel4sim.system.assembly.Systems;
import dev.sel4sim.system.config.ConfigError;
import dev.sel4sim.system.config.SystemConfigException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One test per class of configuration error; each asserts the file:line text a user sees. */
class ConfigErrorsTest {
    private static final String FILE = "conf/systems/t.conf";

    /** A valid base system; tests splice a broken line in. Line numbers below count from 1. */
    private static String system(String components, String extra) {
        return "system {\n"                                   // 1
                + "  name = t\n"                               // 2
                + "  board = qemu-arm-virt\n"                  // 3
                + "  cores = 2\n"                              // 4
                + "  components = [\n"                         // 5
                + components                                   // 6..
                + "  ]\n"
                + extra
                + "}\n";
    }

    private static final String OK_COMPONENTS =
            "    { name = serial, kind = serial, core = 0, priority = 200 }\n"   // 6
          + "    { name = client, kind = rpc-client, core = 1, priority = 100 }\n"; // 7

    private static List<ConfigError> errors(String text) {
        SystemConfigException e = assertThrows(SystemConfigException.class, () -> Systems.build(Systems.loadText(text, FILE)));
        return e.errors();
    }

    private static void assertOne(String text, int line, String... fragments) {
        List<ConfigError> errs = errors(text);
        assertEquals(1, errs.size(), errs.toString());
        String msg = errs.getFirst().toString();
        assertTrue(msg.startsWith(FILE + ":" + line + ": "), msg);
        for (String f : fragments) {
            assertTrue(msg.contains(f), "'" + f + "' missing from: " + msg);
        }
    }

    @Test
    void validBaseSystemChecks() {
        assertNotNull(Systems.build(Systems.loadText(system(OK_COMPONENTS, ""), FILE)));
    }

    @Test
    void hoconSyntaxError() {
        assertOne("system {\n  name = t\n  board = = qemu\n}\n", 3, "HOCON syntax");
    }

    @Test
    void unknownBoard() {
        assertOne(system(OK_COMPONENTS, "").replace("board = qemu-arm-virt", "board = qemu-arm-vrit"), 3,
                "unknown board 'qemu-arm-vrit'", "expected one of", "qemu-arm-virt");
    }

    @Test
    void priorityOutOfRange() {
        assertOne(system(OK_COMPONENTS.replace("priority = 100", "priority = 300"), ""), 7,
                "component 'client'", "priority 300 is out of range", "expected 0..255");
    }

    @Test
    void coreTheBoardLacks() {
        assertOne(system(OK_COMPONENTS.replace("core = 1", "core = 2"), ""), 7,
                "component 'client' is pinned to core 2", "expected core in 0..1");
    }

    @Test
    void duplicateName() {
        assertOne(system(OK_COMPONENTS + "    { name = serial, kind = serial, core = 0, priority = 1 }\n", ""), 8,
                "duplicate name 'serial' (first defined at line 6)");
    }

    @Test
    void unknownNameInAConnection() {
        assertOne(system(OK_COMPONENTS, "  connections = [\n    { type = rpc, from = clinet, to = serial }\n  ]\n"), 10,
                "rpc 'from' names unknown component 'clinet'", "expected one of [client, serial]");
    }

    @Test
    void irqOwnedTwice() {
        String conns = "  connections = [\n"
                + "    { type = irq, name = a, irq = 79, to = serial }\n"   // 10
                + "    { type = irq, name = b, irq = 79, to = client }\n"   // 11
                + "  ]\n";
        assertOne(system(OK_COMPONENTS, conns), 11, "IRQ 79 is owned twice", "'serial' (line 10)", "'client'");
    }

    @Test
    void irqTheBoardLacks() {
        assertOne(system(OK_COMPONENTS, "  connections = [\n    { type = irq, irq = 500, to = serial }\n  ]\n"), 10,
                "IRQ 500 does not exist on qemu-arm-virt", "expected 0..159");
    }

    @Test
    void overlappingReservedMemory() {
        String mem = "  reserved-memory = [\n"
                + "    { name = optee, base = \"0x50000000\", size = 16M }\n"  // 10
                + "    { name = atf, base = \"0x50800000\", size = 1M }\n"     // 11
                + "  ]\n";
        assertOne(system(OK_COMPONENTS, mem), 11, "reserved memory 'atf'", "overlaps 'optee' (line 10)");
    }

    @Test
    void reservedMemoryOutsideRam() {
        assertOne(system(OK_COMPONENTS, "  reserved-memory = [\n    { name = x, base = \"0x10000000\", size = 1M }\n  ]\n"), 10,
                "is not inside the RAM of qemu-arm-virt");
    }

    @Test
    void unknownKindAndTypoedSetting() {
        List<ConfigError> errs = errors(system(
                "    { name = serial, kind = seriall, core = 0, priority = 200, priorty = 3 }\n", ""));
        assertEquals(2, errs.size(), errs.toString());
        assertTrue(errs.stream().anyMatch(e -> e.toString().startsWith(FILE + ":6: component 'serial': unknown kind 'seriall'")), errs.toString());
        assertTrue(errs.stream().anyMatch(e -> e.toString().startsWith(FILE + ":6: component 'serial': unknown setting 'priorty'")), errs.toString());
    }

    @Test
    void missingRequiredSetting() {
        assertOne(system("    { name = serial, kind = serial, core = 0 }\n", ""), 6,
                "component 'serial': missing 'priority'");
    }

    @Test
    void budgetNeedsMcs() {
        assertOne(system(OK_COMPONENTS.replace("priority = 100", "priority = 100, budget = 1ms, period = 10ms"), ""), 7,
                "a budget needs the MCS kernel", "mcs = true");
    }

    @Test
    void memoryRegionLargerThanAnyUntyped() {
        String extra = "  reserved-memory = [ { name = fw, base = \"0x70000000\", size = 1M } ]\n"   // 9
                + "  memory-regions = [\n"                                                      // 10
                + "    { name = guest_ram, size = 512M, page-size = 2M, map = [client] }\n"     // 11
                + "  ]\n";
        assertOne(system(OK_COMPONENTS, extra), 11, "memory region 'guest_ram' of 512 MiB does not fit in any single untyped",
                "the largest untyped is 256 MiB", "free in total", "expected a region of at most 256 MiB");
    }

    @Test
    void everyErrorIsReportedAtOnce() {
        List<ConfigError> errs = errors(system(
                "    { name = a, kind = serial, core = 9, priority = 999 }\n"
              + "    { name = a, kind = serial, core = 0, priority = 1 }\n", ""));
        assertTrue(errs.size() >= 2, errs.toString());
    }
}
