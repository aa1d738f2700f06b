package dev.sel4sim.vmm.boot;

import dev.sel4sim.virtio.blk.DiskImage;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Opens a virtio-blk device's image, wherever it comes from (a host file, or a file server's image held in memory). */
public final class DiskImages {
    private DiskImages() {
    }

    /**
     * @param what for messages: "VM vm0: virtio-blk disk0"
     * @throws UncheckedIOException when the image cannot be read, naming it
     * @throws IllegalArgumentException for write-through on an image that is not a host file
     */
    public static DiskImage open(ImageSource image, DiskImage.Mode mode, String what) {
        String full = what + " image " + image.describe();
        try {
            if (image.file().isPresent()) {
                return DiskImage.open(image.file().get(), mode);
            }
            if (mode == DiskImage.Mode.WRITE_THROUGH) {
                throw new IllegalArgumentException(full + ": write-through needs a host file, and this image comes from a"
                        + " file server; use a path or guest: reference, or drop write-through");
            }
            return DiskImage.of(image.describe(), image.readAll(), mode);
        } catch (IOException e) {
            throw new UncheckedIOException(full + ": cannot open it: " + e.getMessage(), e);
        }
    }
}
