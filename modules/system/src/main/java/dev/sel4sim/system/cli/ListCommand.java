package dev.sel4sim.system.cli;

import dev.sel4sim.boards.Board;
import dev.sel4sim.boards.Boards;
import dev.sel4sim.system.assembly.Systems;
import dev.sel4sim.system.config.SystemConfigException;
import dev.sel4sim.system.config.SystemSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sel4sim list}: the systems in conf/systems and the boards. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the systems in conf/systems and the boards.")
final class ListCommand implements Callable<Integer> {
    @Option(names = "--conf", description = "configuration directory (default: ${DEFAULT-VALUE})", defaultValue = "conf")
    Path conf;

    @Override
    public Integer call() throws IOException {
        Path dir = conf.resolve("systems");
        System.out.println("systems (" + dir + "):");
        if (Files.isDirectory(dir)) {
            List<Path> files;
            try (Stream<Path> s = Files.list(dir)) {
                files = s.filter(p -> p.toString().endsWith(".conf")).sorted().toList();
            }
            for (Path p : files) {
                String summary;
                try {
                    SystemSpec spec = Systems.build(Systems.load(p)).spec();
                    summary = spec.board().id() + ", " + spec.components().size() + " components"
                            + (spec.description().isEmpty() ? "" : " - " + spec.description());
                } catch (SystemConfigException e) {
                    summary = "does not check (" + e.errors().size() + " error" + (e.errors().size() == 1 ? "" : "s") + "; see sel4sim check " + p + ")";
                }
                System.out.printf("  %-40s %s%n", p, summary);
            }
        } else {
            System.out.println("  (none: " + dir + " does not exist)");
        }
        System.out.println("boards:");
        for (Board b : Boards.all()) {
            System.out.printf("  %-14s %-8s %d x %-12s %s%n", b.id(), b.architecture().configName(), b.cpu().count(), b.cpu().model(), b.name());
        }
        return ExitCodes.OK;
    }
}
