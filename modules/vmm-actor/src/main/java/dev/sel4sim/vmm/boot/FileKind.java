package dev.sel4sim.vmm.boot;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Recognises files that are often given where a kernel Image is expected, to say what they are and how to
 * turn them into one. Magic numbers from each format's specification.
 */
final class FileKind {

    private FileKind() {
    }

    /**
     * @param head the file's first bytes (64 or more for every check to run)
     * @return a sentence naming the format and the fix, if the bytes are a known non-Image format
     */
    static Optional<String> describeNonImage(byte[] head) {
        if (startsWith(head, 0x1f, 0x8b)) {
            return Optional.of("the file is gzip-compressed (an Image.gz, or Debian's /boot/vmlinuz-*): the arm64"
                    + " kernel has no decompressor of its own; decompress it first, e.g. `zcat vmlinuz > Image`");
        }
        if (startsWith(head, 0x28, 0xb5, 0x2f, 0xfd)) {
            return compressed("zstd", "zstd -dc vmlinuz > Image");
        }
        if (startsWith(head, 0xfd, '7', 'z', 'X', 'Z', 0)) {
            return compressed("xz", "xz -dc vmlinuz > Image");
        }
        if (startsWith(head, 'B', 'Z', 'h')) {
            return compressed("bzip2", "bzip2 -dc vmlinuz > Image");
        }
        if (startsWith(head, 0x02, 0x21, 0x4c, 0x18) || startsWith(head, 0x04, 0x22, 0x4d, 0x18)) {
            return compressed("lz4", "lz4 -dc vmlinuz > Image");
        }
        if (startsWith(head, 0x89, 'L', 'Z', 'O')) {
            return compressed("lzop", "lzop -dc vmlinuz > Image");
        }
        if (startsWith(head, 0x5d, 0, 0)) {
            return compressed("lzma", "lzma -dc vmlinuz > Image");
        }
        if (head.length >= 32 && startsWith(head, 'M', 'Z') && ascii(head, 4, 4).equals("zimg")) {
            ByteBuffer b = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
            long offset = Integer.toUnsignedLong(b.getInt(8));
            long size = Integer.toUnsignedLong(b.getInt(12));
            String type = cString(head, 24, 32);
            return Optional.of("the file is an EFI zboot image (CONFIG_EFI_ZBOOT): a PE/COFF decompressor with a "
                    + type + "-compressed Image at offset " + offset + ", " + size + " bytes; extract it, e.g. "
                    + "`tail -c +" + (offset + 1) + " vmlinuz | head -c " + size + " | " + type + " -dc > Image`");
        }
        if (startsWith(head, 0x7f, 'E', 'L', 'F')) {
            return Optional.of("the file is an ELF executable (a vmlinux?), not a flat Image: boot it as ELF, or"
                    + " use arch/arm64/boot/Image from the same build");
        }
        if (startsWith(head, 0x27, 0x05, 0x19, 0x56)) {
            return Optional.of("the file is a U-Boot legacy uImage: strip its 64-byte header, e.g. "
                    + "`tail -c +65 uImage > Image` (then decompress if its payload is compressed)");
        }
        if (head.length >= 0x206 && ascii(head, 0x202, 4).equals("HdrS")) {
            return Optional.of("the file is an x86 bzImage, not an arm64 Image");
        }
        if (startsWith(head, 0xd0, 0x0d, 0xfe, 0xed)) {
            return Optional.of("the file is a device tree blob (DTB), not a kernel");
        }
        return Optional.empty();
    }

    private static Optional<String> compressed(String format, String command) {
        return Optional.of("the file is " + format + "-compressed: the arm64 kernel has no decompressor of its "
                + "own; decompress it first, e.g. `" + command + "`");
    }

    private static boolean startsWith(byte[] bytes, int... prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((bytes[i] & 0xff) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static String ascii(byte[] bytes, int offset, int length) {
        return new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
    }

    private static String cString(byte[] bytes, int offset, int max) {
        int end = offset;
        while (end < bytes.length && end < offset + max && bytes[end] != 0) {
            end++;
        }
        String s = new String(bytes, offset, end - offset, StandardCharsets.ISO_8859_1);
        return s.chars().allMatch(c -> c > 0x20 && c < 0x7f) && !s.isEmpty() ? s : "unknown";
    }
}
