package dev.sel4sim.vmm.x86.decode;

import java.util.Arrays;

/** A cursor over the instruction's bytes that stops decoding when they run out or pass 15. */
final class InstructionBytes {
    private final byte[] bytes;
    private int position;

    InstructionBytes(byte[] bytes) {
        this.bytes = bytes;
    }

    int position() {
        return position;
    }

    /** The bytes consumed so far. */
    byte[] consumed() {
        return Arrays.copyOf(bytes, Math.min(position, bytes.length));
    }

    int peek() {
        check();
        return bytes[position] & 0xff;
    }

    int u8() {
        int b = peek();
        position++;
        return b;
    }

    /** A little-endian value of {@code size} bytes, sign-extended to 64 bits. */
    long signed(int size) {
        long value = 0;
        for (int i = 0; i < size; i++) {
            value |= (long) u8() << (8 * i);
        }
        int shift = 64 - size * 8;
        return shift == 0 ? value : (value << shift) >> shift;
    }

    /** A little-endian value of {@code size} bytes, zero-extended. */
    long unsigned(int size) {
        return signed(size) & Gpr.mask(size);
    }

    private void check() {
        if (position >= X86Decoder.MAX_LENGTH) {
            throw new Stop(new InvalidInstruction(consumed(), InvalidInstruction.GP,
                    "instruction longer than " + X86Decoder.MAX_LENGTH + " bytes"));
        }
        if (position >= bytes.length) {
            throw new Stop(new Unsupported(consumed(),
                    "instruction continues past the " + bytes.length + " bytes available"));
        }
    }

    /** Ends decoding early with a result; caught by {@link X86Decoder}, never escapes it. */
    static final class Stop extends RuntimeException {
        final DecodeResult result;

        Stop(DecodeResult result) {
            super(null, null, false, false);
            this.result = result;
        }
    }
}
