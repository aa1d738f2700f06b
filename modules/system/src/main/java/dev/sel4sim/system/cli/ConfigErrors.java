package dev.sel4sim.system.cli;

import dev.sel4sim.system.config.ConfigError;
import dev.sel4sim.system.config.SystemConfigException;

/** Prints configuration errors, one per line as file:line: problem; expected ... */
final class ConfigErrors {
    private ConfigErrors() {
    }

    static void print(SystemConfigException e) {
        for (ConfigError err : e.errors()) {
            System.err.println("error: " + err);
        }
        System.err.println(e.errors().size() + " error" + (e.errors().size() == 1 ? "" : "s") + "; nothing was started.");
    }
}
