package dev.sel4sim.vmm.x86.dev;

import java.util.Map;
import java.util.TreeMap;

/**
 * Routes IN and OUT to the device that claims the port. Unclaimed ports read as all ones and ignore
 * writes, as an ISA bus with nothing on it does.
 */
public final class IoPortBus {
    private record Range(int first, int count, IoPortHandler handler, String name) {
        boolean contains(int port) {
            return port >= first && port < first + count;
        }
    }

    private final TreeMap<Integer, Range> ranges = new TreeMap<>();

    /**
     * Claims {@code count} ports from {@code first} for {@code handler}.
     *
     * @throws IllegalArgumentException when the range leaves 0-0xFFFF or overlaps a claimed one
     */
    public void register(int first, int count, IoPortHandler handler, String name) {
        if (first < 0 || count <= 0 || first + count > 0x10000) {
            throw new IllegalArgumentException(String.format("%s: ports 0x%x+%d are outside 0-0xffff", name, first, count));
        }
        Map.Entry<Integer, Range> below = ranges.floorEntry(first + count - 1);
        if (below != null && below.getValue().first() + below.getValue().count() > first) {
            Range other = below.getValue();
            throw new IllegalArgumentException(String.format("%s: ports 0x%x-0x%x overlap %s at 0x%x-0x%x", name,
                    first, first + count - 1, other.name(), other.first(), other.first() + other.count() - 1));
        }
        ranges.put(first, new Range(first, count, handler, name));
    }

    /** True when a device claims {@code port}. */
    public boolean claimed(int port) {
        return find(port) != null;
    }

    /** IN from {@code port}; {@code size} is 1, 2 or 4. */
    public int read(int port, int size) {
        Range r = find(port);
        if (r == null) {
            return size >= 4 ? -1 : (1 << (size * 8)) - 1;
        }
        int value = r.handler().read(port, size);
        return size >= 4 ? value : value & ((1 << (size * 8)) - 1);
    }

    /** OUT to {@code port}. */
    public void write(int port, int size, int value) {
        Range r = find(port);
        if (r != null) {
            r.handler().write(port, size, size >= 4 ? value : value & ((1 << (size * 8)) - 1));
        }
    }

    private Range find(int port) {
        Map.Entry<Integer, Range> e = ranges.floorEntry(port);
        return e != null && e.getValue().contains(port) ? e.getValue() : null;
    }
}
