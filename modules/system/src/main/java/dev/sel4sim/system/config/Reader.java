package dev.sel4sim.system.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.sel4sim.boards.Sizes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads typed values out of one HOCON object, turning every problem into a {@link ConfigError}
 * with the file and line of the offending value (or of the object, when the value is missing).
 */
final class Reader {
    private final String file;
    private final List<ConfigError> errors;
    private final Config cfg;
    private final int line;
    private final String what;

    Reader(String file, List<ConfigError> errors, Config cfg, int line, String what) {
        this.file = file;
        this.errors = errors;
        this.cfg = cfg;
        this.line = line;
        this.what = what;
    }

    Config config() {
        return cfg;
    }

    int line() {
        return line;
    }

    int lineOf(String key) {
        if (cfg.hasPathOrNull(key)) {
            ConfigValue v = cfg.getValue(key);
            if (v.origin() != null && v.origin().lineNumber() > 0) {
                return v.origin().lineNumber();
            }
        }
        return line;
    }

    void error(String key, String problem, String expected) {
        errors.add(new ConfigError(file, key == null ? line : lineOf(key), what + problem, expected));
    }

    boolean has(String key) {
        return cfg.hasPath(key);
    }

    Optional<String> string(String key, boolean required) {
        if (!cfg.hasPath(key)) {
            if (required) {
                error(key, ": missing '" + key + "'", "a value for '" + key + "'");
            }
            return Optional.empty();
        }
        ConfigValue v = cfg.getValue(key);
        if (v.valueType() == ConfigValueType.OBJECT || v.valueType() == ConfigValueType.LIST) {
            error(key, ": '" + key + "' is a " + v.valueType().name().toLowerCase(), "a single value");
            return Optional.empty();
        }
        return Optional.of(String.valueOf(v.unwrapped()));
    }

    Optional<Long> integer(String key, boolean required) {
        Optional<String> s = string(key, required);
        if (s.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Sizes.parseNumber(s.get()));
        } catch (RuntimeException e) {
            error(key, ": '" + key + "' = \"" + s.get() + "\" is not a number", "a decimal or 0x-prefixed number");
            return Optional.empty();
        }
    }

    Optional<Long> size(String key, boolean required) {
        Optional<String> s = string(key, required);
        if (s.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Sizes.parseSize(s.get()));
        } catch (RuntimeException e) {
            error(key, ": '" + key + "' = \"" + s.get() + "\" is not a size", "a size such as 4K, 512M, 1G or 0x1000");
            return Optional.empty();
        }
    }

    Optional<Long> durationNs(String key, boolean required) {
        if (!cfg.hasPath(key)) {
            if (required) {
                error(key, ": missing '" + key + "'", "a duration such as 500ms, 10us or 2s");
            }
            return Optional.empty();
        }
        try {
            return Optional.of(cfg.getDuration(key).toNanos());
        } catch (ConfigException e) {
            error(key, ": '" + key + "' is not a duration", "a duration such as 500ms, 10us or 2s");
            return Optional.empty();
        }
    }

    Optional<Boolean> bool(String key) {
        if (!cfg.hasPath(key)) {
            return Optional.empty();
        }
        try {
            return Optional.of(cfg.getBoolean(key));
        } catch (ConfigException e) {
            error(key, ": '" + key + "' is not a boolean", "true or false");
            return Optional.empty();
        }
    }

    /** A list of names, or a single name written without brackets. */
    List<String> names(String key, boolean required) {
        if (!cfg.hasPath(key)) {
            if (required) {
                error(key, ": missing '" + key + "'", "a component name or a list of them");
            }
            return List.of();
        }
        ConfigValue v = cfg.getValue(key);
        if (v.valueType() == ConfigValueType.LIST) {
            List<String> out = new ArrayList<>();
            for (Object o : (List<?>) v.unwrapped()) {
                out.add(String.valueOf(o));
            }
            return out;
        }
        return List.of(String.valueOf(v.unwrapped()));
    }

    /** Complains about keys this object does not know, so typos never pass silently. */
    void onlyKeys(java.util.Set<String> known) {
        for (var e : cfg.root().entrySet()) {
            if (!known.contains(e.getKey())) {
                int l = e.getValue().origin() != null ? e.getValue().origin().lineNumber() : line;
                errors.add(new ConfigError(file, l, what + ": unknown setting '" + e.getKey() + "'", "one of " + new java.util.TreeSet<>(known)));
            }
        }
    }
}
