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
    /** The system {@code sel4sim run} starts without a file. */
    public static final String DEMO_RESOURCE = "conf/systems/demo.conf";

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

    /** The embedded demo system. */
    public static SystemSpec demo() {
        try (InputStream in = Systems.class.getClassLoader().getResourceAsStream(DEMO_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(DEMO_RESOURCE + " is missing from the classpath");
            }
            return loadText(new String(in.readAllBytes(), StandardCharsets.UTF_8), DEMO_RESOURCE + " (embedded)");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Builds the kernel objects and capability distribution of a checked system. */
    public static BuiltSystem build(SystemSpec spec) {
        return SystemBuilder.build(spec, new Timeline(spec.clock()));
    }
}
