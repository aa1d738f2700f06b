package dev.sel4sim.system.assembly;

import dev.sel4sim.kernel.sched.Timeline;
import dev.sel4sim.system.config.SystemParser;
import dev.sel4sim.system.config.SystemSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Entry points for loading a system file: parse, check, build. Used by the CLI and by tests. */
public final class Systems {
    /** The native demo (RPC, notifications, a timer IRQ; no VM). */
    public static final String DEMO_RESOURCE = "conf/systems/demo.conf";
    /** The system {@code sel4sim run} starts without a file: one Linux VM on two VCPUs. */
    public static final String DEFAULT_RESOURCE = "conf/systems/vm_minimal.conf";

    private Systems() {
    }

    public static SystemParser parser() {
        return new SystemParser(ComponentKinds.names(), ComponentKinds.DEVICES);
    }

    /** Parses and cross-checks a file; throws {@link dev.sel4sim.system.config.SystemConfigException} with every error. */
    public static SystemSpec load(Path file) {
        return parser().parseFile(file);
    }

    public static SystemSpec loadText(String text, String name) {
        return parser().parse(text, name);
    }

    /** The embedded native demo system. */
    public static SystemSpec demo() {
        return embedded(DEMO_RESOURCE);
    }

    /** The embedded default system, vm_minimal. */
    public static SystemSpec defaultSystem() {
        return embedded(DEFAULT_RESOURCE);
    }

    private static SystemSpec embedded(String resource) {
        try (InputStream in = Systems.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the classpath");
            }
            return loadText(new String(in.readAllBytes(), StandardCharsets.UTF_8), resource + " (embedded)");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Builds the kernel objects and capability distribution of a checked system. */
    public static BuiltSystem build(SystemSpec spec) {
        return SystemBuilder.build(spec, new Timeline(spec.clock()));
    }
}
