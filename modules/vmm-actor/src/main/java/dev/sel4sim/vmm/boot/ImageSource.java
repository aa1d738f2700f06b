package dev.sel4sim.vmm.boot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a boot image (kernel, initrd, firmware) comes from: a file on the host, or a server that
 * hands images out by name (the FileServer). The VMM reads the header first, then the whole image
 * into guest memory.
 */
public interface ImageSource {
    /** For messages: the path, or the server and the image's name. */
    String describe();

    long size() throws IOException;

    /** Up to {@code length} bytes from the start (fewer if the image is shorter). */
    byte[] head(int length) throws IOException;

    byte[] readAll() throws IOException;

    /**
     * The file behind the image, when there is one: the VMM then maps it instead of copying it
     * through the heap.
     */
    default java.util.Optional<Path> file() {
        return java.util.Optional.empty();
    }

    /** An image in a host file. */
    static ImageSource file(Path path) {
        Objects.requireNonNull(path, "path");
        return new ImageSource() {
            @Override
            public String describe() {
                return path.toString();
            }

            @Override
            public long size() throws IOException {
                return Files.size(path);
            }

            @Override
            public byte[] head(int length) throws IOException {
                try (InputStream in = Files.newInputStream(path)) {
                    return in.readNBytes(length);
                }
            }

            @Override
            public byte[] readAll() throws IOException {
                return Files.readAllBytes(path);
            }

            @Override
            public java.util.Optional<Path> file() {
                return java.util.Optional.of(path);
            }

            @Override
            public String toString() {
                return path.toString();
            }
        };
    }
}
