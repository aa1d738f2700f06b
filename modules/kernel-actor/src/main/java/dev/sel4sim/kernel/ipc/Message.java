package dev.sel4sim.kernel.ipc;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An IPC message as seL4 carries it: a label, up to {@link #MAX_WORDS} message registers and up to
 * {@link #MAX_EXTRA_CAPS} capabilities named by the sender's CPtrs.
 */
public record Message(long label, long[] words, long[] caps) {
    /** seL4_MsgMaxLength. */
    public static final int MAX_WORDS = 120;
    /** seL4_MsgMaxExtraCaps. */
    public static final int MAX_EXTRA_CAPS = 3;
    public static final Message EMPTY = new Message(0, new long[0], new long[0]);

    public Message {
        if (words.length > MAX_WORDS) {
            throw new IllegalArgumentException("a message holds at most " + MAX_WORDS + " words, got " + words.length);
        }
        if (caps.length > MAX_EXTRA_CAPS) {
            throw new IllegalArgumentException("a message carries at most " + MAX_EXTRA_CAPS + " caps, got " + caps.length);
        }
    }

    public static Message of(long label, long... words) {
        return new Message(label, words, new long[0]);
    }

    /** A message with a capability transfer (the sender's CPtrs). */
    public Message withCaps(long... cptrs) {
        return new Message(label, words, cptrs);
    }

    /** Packs text into message registers: word 0 is the byte length, then 8 bytes a word. */
    public static Message ofString(long label, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        int max = (MAX_WORDS - 1) * 8;
        if (b.length > max) {
            throw new IllegalArgumentException("text of " + b.length + " bytes exceeds " + max + " bytes of message registers");
        }
        long[] w = new long[1 + (b.length + 7) / 8];
        w[0] = b.length;
        for (int i = 0; i < b.length; i++) {
            w[1 + i / 8] |= (b[i] & 0xFFL) << (8 * (i % 8));
        }
        return new Message(label, w, new long[0]);
    }

    /** The text {@link #ofString} packed. */
    public String string() {
        if (words.length == 0) {
            return "";
        }
        int n = (int) Math.min(words[0], (words.length - 1) * 8L);
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (words[1 + i / 8] >>> (8 * (i % 8)));
        }
        return new String(b, StandardCharsets.UTF_8);
    }

    public long word(int i) {
        return i < words.length ? words[i] : 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Message m && m.label == label && Arrays.equals(m.words, words) && Arrays.equals(m.caps, caps);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(label) * 31 + Arrays.hashCode(words);
    }

    @Override
    public String toString() {
        return "Message[label=" + label + ", words=" + Arrays.toString(words)
                + (caps.length > 0 ? ", caps=" + Arrays.toString(caps) : "") + "]";
    }
}
