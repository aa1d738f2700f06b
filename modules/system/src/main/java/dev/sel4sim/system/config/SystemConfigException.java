package dev.sel4sim.system.config;

import java.util.List;
import java.util.stream.Collectors;

/** A system file that failed its checks; carries every error found, each with file and line. */
public final class SystemConfigException extends RuntimeException {
    private final List<ConfigError> errors;

    public SystemConfigException(List<ConfigError> errors) {
        super(errors.stream().map(ConfigError::toString).collect(Collectors.joining("\n")));
        this.errors = List.copyOf(errors);
    }

    public List<ConfigError> errors() {
        return errors;
    }
}
