package dev.sel4sim.boards;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * One object of a board file with its place in it, so that every error names the file, the line and the
 * setting. Package-private: only {@link BoardReader} uses it.
 */
final class ConfigNode {

    private final Config config;
    private final String resource;
    private final String path;

    ConfigNode(Config config, String resource, String path) {
        this.config = config;
        this.resource = resource;
        this.path = path;
    }

    String resource() {
        return resource;
    }

    String path(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    int line(String key) {
        if (config.hasPathOrNull(key)) {
            return config.getValue(key).origin().lineNumber();
        }
        return line();
    }

    int line() {
        return config.root().origin().lineNumber();
    }

    BoardConfigException error(String key, String problem) {
        return new BoardConfigException(resource, line(key), path(key), problem, null);
    }

    BoardConfigException error(String problem) {
        return new BoardConfigException(resource, line(), path, problem, null);
    }

    boolean has(String key) {
        return config.hasPath(key);
    }

    private ConfigValue value(String key, String expected) {
        if (!config.hasPathOrNull(key)) {
            throw error(key, "missing; expected " + expected);
        }
        if (config.getIsNull(key)) {
            throw error(key, "is null; expected " + expected);
        }
        return config.getValue(key);
    }

    String string(String key) {
        ConfigValue v = value(key, "a string");
        if (v.valueType() != ConfigValueType.STRING) {
            throw error(key, "expected a string, got " + describe(v));
        }
        String s = (String) v.unwrapped();
        if (s.isBlank()) {
            throw error(key, "expected a non-empty string");
        }
        return s;
    }

    Optional<String> optString(String key) {
        return has(key) ? Optional.of(string(key)) : Optional.empty();
    }

    String stringOr(String key, String fallback) {
        return optString(key).orElse(fallback);
    }

    <T> T choice(String key, Function<String, Optional<T>> lookup, String allowed) {
        String s = string(key);
        return lookup.apply(s).orElseThrow(() -> error(key, "expected one of " + allowed + ", got '" + s + "'"));
    }

    /** An address or plain number: an integer, or a string with hex or decimal digits. */
    long number(String key) {
        return parse(key, "a number (hex like \"0x8000000\" or decimal)", Sizes::parseNumber);
    }

    /** A size: an integer, or a string with hex, decimal, or a K/M/G/T suffix. */
    long size(String key) {
        return parse(key, "a size (hex, decimal, or like \"4K\", \"256M\", \"1G\")", Sizes::parseSize);
    }

    int integer(String key) {
        long n = number(key);
        if (n > Integer.MAX_VALUE) {
            throw error(key, "expected a number below 2^31, got " + n);
        }
        return (int) n;
    }

    OptionalInt optInteger(String key) {
        return has(key) ? OptionalInt.of(integer(key)) : OptionalInt.empty();
    }

    boolean bool(String key, boolean fallback) {
        if (!has(key)) {
            return fallback;
        }
        ConfigValue v = config.getValue(key);
        if (v.valueType() != ConfigValueType.BOOLEAN) {
            throw error(key, "expected true or false, got " + describe(v));
        }
        return (Boolean) v.unwrapped();
    }

    private long parse(String key, String expected, Function<String, Long> parser) {
        ConfigValue v = value(key, expected);
        Object raw = v.unwrapped();
        try {
            if (raw instanceof Integer || raw instanceof Long) {
                long n = ((Number) raw).longValue();
                if (n < 0) {
                    throw new IllegalArgumentException("negative");
                }
                return n;
            }
            if (raw instanceof String s) {
                return parser.apply(s);
            }
        } catch (IllegalArgumentException e) {
            throw error(key, "expected " + expected + ", got " + describe(v));
        }
        throw error(key, "expected " + expected + ", got " + describe(v));
    }

    ConfigNode child(String key) {
        ConfigValue v = value(key, "an object { ... }");
        if (v.valueType() != ConfigValueType.OBJECT) {
            throw error(key, "expected an object { ... }, got " + describe(v));
        }
        return new ConfigNode(config.getConfig(key), resource, path(key));
    }

    Optional<ConfigNode> optChild(String key) {
        return has(key) ? Optional.of(child(key)) : Optional.empty();
    }

    /** A region written as an object {@code { base = ..., size = ... }}. */
    MemoryRegion region(String key) {
        return child(key).regionHere();
    }

    Optional<MemoryRegion> optRegion(String key) {
        return has(key) ? Optional.of(region(key)) : Optional.empty();
    }

    /** This node read as {@code base}/{@code size}. */
    MemoryRegion regionHere() {
        long base = number("base");
        long size = size("size");
        if (size == 0) {
            throw error("size", "expected a size greater than zero");
        }
        if (base > Long.MAX_VALUE - size) {
            throw error("size", "the region wraps around the address space");
        }
        return new MemoryRegion(base, size);
    }

    List<ConfigNode> objects(String key) {
        ConfigValue v = value(key, "a list of objects [ { ... }, ... ]");
        if (v.valueType() != ConfigValueType.LIST) {
            throw error(key, "expected a list [ ... ], got " + describe(v));
        }
        List<? extends Config> items;
        try {
            items = config.getConfigList(key);
        } catch (ConfigException.WrongType e) {
            throw error(key, "expected a list of objects [ { ... }, ... ]");
        }
        List<ConfigNode> nodes = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            nodes.add(new ConfigNode(items.get(i), resource, path(key) + "[" + i + "]"));
        }
        return nodes;
    }

    List<ConfigNode> optObjects(String key) {
        return has(key) ? objects(key) : List.of();
    }

    List<String> strings(String key) {
        ConfigValue v = value(key, "a list of strings");
        try {
            return List.copyOf(config.getStringList(key));
        } catch (ConfigException.WrongType e) {
            throw error(key, "expected a list of strings, got " + describe(v));
        }
    }

    List<Integer> integers(String key) {
        if (!has(key)) {
            return List.of();
        }
        ConfigValue v = value(key, "a list of numbers");
        if (v.valueType() != ConfigValueType.LIST) {
            throw error(key, "expected a list of numbers [ ... ], got " + describe(v));
        }
        List<Integer> out = new ArrayList<>();
        for (Object raw : config.getList(key).unwrapped()) {
            try {
                long n = raw instanceof Number num ? num.longValue() : Sizes.parseNumber(String.valueOf(raw));
                if (n < 0 || n > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException();
                }
                out.add((int) n);
            } catch (IllegalArgumentException e) {
                throw error(key, "expected a list of non-negative numbers, got element '" + raw + "'");
            }
        }
        return out;
    }

    private static String describe(ConfigValue v) {
        return switch (v.valueType()) {
            case STRING -> "'" + v.unwrapped() + "'";
            case NUMBER, BOOLEAN -> String.valueOf(v.unwrapped());
            case NULL -> "null";
            case LIST -> "a list";
            case OBJECT -> "an object";
        };
    }
}
