package dev.sel4sim.system.config;

/** One problem in a system file: where it is, what is wrong, and what would be right. */
public record ConfigError(String file, int line, String problem, String expected) {
    @Override
    public String toString() {
        return file + (line > 0 ? ":" + line : "") + ": " + problem + (expected == null || expected.isEmpty() ? "" : "; expected " + expected);
    }
}
