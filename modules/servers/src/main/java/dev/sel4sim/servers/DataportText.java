package dev.sel4sim.servers;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Optional;

/**
 * NUL-terminated text in a dataport, as C components and guests exchange it. The memory is shared with
 * another party that may have written anything: reading never trusts it to hold a terminator.
 */
public final class DataportText {
    private DataportText() {
    }

    /** The bytes before the first NUL, or empty when the dataport has no NUL at all. */
    public static Optional<byte[]> read(MemorySegment dataport) {
        long size = dataport.byteSize();
        for (long i = 0; i < size; i++) {
            if (dataport.get(ValueLayout.JAVA_BYTE, i) == 0) {
                return Optional.of(dataport.asSlice(0, i).toArray(ValueLayout.JAVA_BYTE));
            }
        }
        return Optional.empty();
    }

    /**
     * Writes {@code text} and a NUL at the start of the dataport.
     *
     * @return false (and nothing written) when text and NUL do not fit
     */
    public static boolean write(MemorySegment dataport, byte[] text) {
        if (text.length + 1L > dataport.byteSize()) {
            return false;
        }
        MemorySegment.copy(text, 0, dataport, ValueLayout.JAVA_BYTE, 0, text.length);
        dataport.set(ValueLayout.JAVA_BYTE, text.length, (byte) 0);
        return true;
    }
}
