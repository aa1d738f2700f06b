package dev.sel4sim.system.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code sel4sim} command line. */
@Command(name = "sel4sim", mixinStandardHelpOptions = true, version = "sel4sim 0.1.0",
        description = "Simulate seL4-based systems of native components and VMs, described by one HOCON file.",
        subcommands = {RunCommand.class, CheckCommand.class, ListCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code (for tests). */
    public static int execute(String... args) {
        // --expect and --send repeat and interleave: each occurrence calls its setter in command-line order.
        return new CommandLine(new Main()).setOverwrittenOptionsAllowed(true).execute(args);
    }
}
