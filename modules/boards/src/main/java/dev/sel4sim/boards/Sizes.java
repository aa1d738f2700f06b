package dev.sel4sim.boards;

import java.util.Locale;

/**
 * Parses the numbers used in board files: addresses as {@code "0x8000000"} or decimal, sizes additionally
 * with a binary suffix ({@code "4K"}, {@code "256M"}, {@code "1G"}, {@code "1GiB"}, {@code "2T"}).
 *
 * <p>Suffixes are powers of two. Decimal-unit spellings such as {@code "1GB"} are rejected because they are
 * ambiguous (10^9 or 2^30).
 */
public final class Sizes {

    private Sizes() {
    }

    /**
     * Parses an address or plain number: hex with a {@code 0x} prefix, or decimal; {@code _} separators allowed.
     *
     * @param text the text, e.g. {@code "0x09000000"} or {@code "33"}
     * @return the non-negative value
     * @throws IllegalArgumentException if the text is not such a number
     */
    public static long parseNumber(String text) {
        String t = clean(text);
        try {
            long value;
            if (t.startsWith("0x") || t.startsWith("0X")) {
                String digits = t.substring(2);
                if (digits.isEmpty()) {
                    throw new NumberFormatException();
                }
                value = Long.parseUnsignedLong(digits, 16);
            } else {
                value = Long.parseLong(t);
            }
            if (value < 0) {
                throw new IllegalArgumentException("'" + text + "' is negative or above 2^63-1");
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a number (expected hex like \"0x8000000\" or decimal)");
        }
    }

    /**
     * Parses a size: anything {@link #parseNumber} accepts, or a decimal number with a binary suffix
     * {@code K}, {@code M}, {@code G} or {@code T} (optionally followed by {@code i} or {@code iB}).
     *
     * @param text the text, e.g. {@code "1G"}, {@code "256M"}, {@code "0x10000"}
     * @return the size in bytes
     * @throws IllegalArgumentException if the text is not a size
     */
    public static long parseSize(String text) {
        String t = clean(text);
        String upper = t.toUpperCase(Locale.ROOT);
        if (upper.startsWith("0X")) {
            return parseNumber(t);
        }
        if (upper.endsWith("IB")) {
            upper = upper.substring(0, upper.length() - 2);
        } else if (upper.endsWith("I")) {
            upper = upper.substring(0, upper.length() - 1);
        } else if (upper.endsWith("B") && upper.length() > 1 && Character.isLetter(upper.charAt(upper.length() - 2))) {
            throw new IllegalArgumentException(
                    "'" + text + "' is ambiguous; use binary suffixes K, M, G, T (e.g. \"1G\" or \"1GiB\")");
        }
        int shift = 0;
        if (!upper.isEmpty()) {
            switch (upper.charAt(upper.length() - 1)) {
                case 'K' -> shift = 10;
                case 'M' -> shift = 20;
                case 'G' -> shift = 30;
                case 'T' -> shift = 40;
                default -> shift = 0;
            }
        }
        String digits = shift == 0 ? upper : upper.substring(0, upper.length() - 1);
        long number;
        try {
            number = parseNumber(digits);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text
                    + "' is not a size (expected hex like \"0x10000\", decimal, or a number with K/M/G/T)");
        }
        if (shift > 0 && number > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
        return number << shift;
    }

    /**
     * @param value a non-negative value
     * @return the value as lower-case hex with a {@code 0x} prefix
     */
    public static String hex(long value) {
        return "0x" + Long.toHexString(value);
    }

    private static String clean(String text) {
        if (text == null) {
            throw new IllegalArgumentException("missing number");
        }
        String t = text.strip().replace("_", "");
        if (t.isEmpty()) {
            throw new IllegalArgumentException("empty number");
        }
        return t;
    }
}
