package dev.sel4sim.vmm.boot.fdt;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One property of a device tree node: a name and an opaque big-endian value.
 *
 * <p>The value array is copied in and out, so a property is immutable. The typed views ({@link #u32()},
 * {@link #strings()}, ...) return empty when the value does not have that shape: a parsed blob may come from
 * a hostile guest or a broken tool, so a wrong length is an answer, not an exception.
 *
 * @param name  the property name
 * @param value the raw value bytes
 */
public record FdtProperty(String name, byte[] value) {

    /** Copies the value. */
    public FdtProperty {
        Objects.requireNonNull(name, "name");
        value = value.clone();
    }

    /** @return a copy of the raw value */
    @Override
    public byte[] value() {
        return value.clone();
    }

    /** @return the value length in bytes */
    public int length() {
        return value.length;
    }

    /** @return a property with an empty value, e.g. {@code interrupt-controller} */
    public static FdtProperty empty(String name) {
        return new FdtProperty(name, new byte[0]);
    }

    /** @return a property holding one 32-bit cell */
    public static FdtProperty u32(String name, int value) {
        return cells(name, value);
    }

    /** @return a property holding one 64-bit value (two cells, high first) */
    public static FdtProperty u64(String name, long value) {
        return new FdtProperty(name, ByteBuffer.allocate(8).putLong(value).array());
    }

    /** @return a property holding the given 32-bit cells */
    public static FdtProperty cells(String name, int... cells) {
        ByteBuffer buffer = ByteBuffer.allocate(cells.length * 4);
        for (int cell : cells) {
            buffer.putInt(cell);
        }
        return new FdtProperty(name, buffer.array());
    }

    /** @return a property holding one NUL-terminated string */
    public static FdtProperty string(String name, String value) {
        return strings(name, value);
    }

    /**
     * @return a property holding a string list, each NUL-terminated
     * @throws IllegalArgumentException if a string contains NUL, which would split it
     */
    public static FdtProperty strings(String name, String... values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String s : values) {
            if (s.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("property " + name + ": a string must not contain NUL");
            }
            out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            out.write(0);
        }
        return new FdtProperty(name, out.toByteArray());
    }

    /** @return the value as one cell, if it is exactly 4 bytes */
    public OptionalInt u32() {
        return value.length == 4 ? OptionalInt.of(ByteBuffer.wrap(value).getInt()) : OptionalInt.empty();
    }

    /** @return the value as one 64-bit number, if it is exactly 8 bytes */
    public OptionalLong u64() {
        return value.length == 8 ? OptionalLong.of(ByteBuffer.wrap(value).getLong()) : OptionalLong.empty();
    }

    /** @return the value as cells, if its length is a multiple of 4 */
    public Optional<int[]> cells() {
        if (value.length % 4 != 0) {
            return Optional.empty();
        }
        int[] cells = new int[value.length / 4];
        ByteBuffer.wrap(value).asIntBuffer().get(cells);
        return Optional.of(cells);
    }

    /** @return the value as one string, if it is a single NUL-terminated string */
    public Optional<String> string() {
        return strings().filter(list -> list.size() == 1).map(List::getFirst);
    }

    /**
     * @return the value as a string list, if it is non-empty, ends with NUL and every string is non-empty
     *         (an empty string in the middle would make a list indistinguishable from binary data)
     */
    public Optional<List<String>> strings() {
        if (value.length == 0 || value[value.length - 1] != 0) {
            return Optional.empty();
        }
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < value.length; i++) {
            if (value[i] == 0) {
                if (i == start) {
                    return Optional.empty();
                }
                out.add(new String(value, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return Optional.of(List.copyOf(out));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FdtProperty other && name.equals(other.name) && Arrays.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return name + "=[" + HexFormat.ofDelimiter(" ").formatHex(value) + "]";
    }
}
