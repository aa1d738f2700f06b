package dev.sel4sim.virtio.blk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A disk image in a host file (or a byte array), in one of three modes:
 * <ul>
 * <li>{@link Mode#COPY_ON_WRITE} (the default): the guest may write, but its writes stay in memory, in 4 KiB
 * chunks that shadow the image; the file is opened read-only and is never modified, so a pristine image serves
 * run after run. The writes are gone when the VM is.</li>
 * <li>{@link Mode#WRITE_THROUGH}: writes go to the file itself, and FLUSH forces them to the host's disk.</li>
 * <li>{@link Mode#READ_ONLY}: writes fail; the device offers VIRTIO_BLK_F_RO so the guest knows it.</li>
 * </ul>
 * The size is the file's size when it is opened. State for a snapshot: the mode and the shadow chunks
 * ({@link #shadowChunks()}).
 */
public final class DiskImage implements BlockBackend {
    /** What the guest's writes do. */
    public enum Mode { COPY_ON_WRITE, WRITE_THROUGH, READ_ONLY }

    /** Granularity of the copy-on-write shadow. */
    public static final int CHUNK = 4096;

    private final String name;
    private final Mode mode;
    private final long size;
    private final FileChannel file;
    private final byte[] bytes;
    // Copy-on-write chunks by chunk index; each holds CHUNK bytes (the last one's tail past the size is unused).
    private final Map<Long, byte[]> shadow = new TreeMap<>();

    private DiskImage(String name, Mode mode, long size, FileChannel file, byte[] bytes) {
        this.name = name;
        this.mode = mode;
        this.size = size;
        this.file = file;
        this.bytes = bytes;
    }

    /**
     * Opens an image file: read-only unless {@code mode} is {@link Mode#WRITE_THROUGH}.
     *
     * @throws IOException if the file cannot be opened in that mode
     */
    public static DiskImage open(Path path, Mode mode) throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(mode, "mode");
        FileChannel ch = mode == Mode.WRITE_THROUGH
                ? FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)
                : FileChannel.open(path, StandardOpenOption.READ);
        try {
            return new DiskImage(path.toString(), mode, ch.size(), ch, null);
        } catch (RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * An image held in memory (one a file server handed out, say). The array is never modified: writes are
     * copy-on-write, or refused in {@link Mode#READ_ONLY}.
     *
     * @throws IllegalArgumentException for {@link Mode#WRITE_THROUGH}, which needs a file
     */
    public static DiskImage of(String name, byte[] image, Mode mode) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(image, "image");
        if (Objects.requireNonNull(mode, "mode") == Mode.WRITE_THROUGH) {
            throw new IllegalArgumentException("disk image " + name + " is not a host file: write-through needs one");
        }
        return new DiskImage(name, mode, image.length, null, image);
    }

    /** @return what the guest's writes do */
    public Mode mode() {
        return mode;
    }

    /** @return how many 4 KiB chunks the guest has written in copy-on-write mode */
    public int shadowChunks() {
        return shadow.size();
    }

    @Override
    public long sizeBytes() {
        return size;
    }

    @Override
    public boolean readOnly() {
        return mode == Mode.READ_ONLY;
    }

    @Override
    public String describe() {
        return name + " (" + mode.name().toLowerCase().replace('_', '-') + ")";
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws IOException {
        checkRange(offset, dst.remaining());
        long at = offset;
        while (dst.hasRemaining()) {
            long chunk = at / CHUNK;
            int within = (int) (at % CHUNK);
            byte[] own = shadow.get(chunk);
            if (own != null) {
                int n = Math.min(CHUNK - within, dst.remaining());
                dst.put(own, within, n);
                at += n;
                continue;
            }
            // A run of chunks the guest never wrote: one read from the image.
            long end = at + dst.remaining();
            long runEnd = Math.min(end, (chunk + 1) * CHUNK);
            while (runEnd < end && !shadow.containsKey(runEnd / CHUNK)) {
                runEnd = Math.min(end, runEnd + CHUNK);
            }
            int n = (int) (runEnd - at);
            ByteBuffer part = dst.slice(dst.position(), n);
            readBase(at, part);
            dst.position(dst.position() + n);
            at += n;
        }
    }

    @Override
    public void write(long offset, ByteBuffer src) throws IOException {
        if (mode == Mode.READ_ONLY) {
            throw new IOException(name + " is read-only");
        }
        checkRange(offset, src.remaining());
        if (mode == Mode.WRITE_THROUGH) {
            long at = offset;
            while (src.hasRemaining()) {
                at += file.write(src, at);
            }
            return;
        }
        long at = offset;
        while (src.hasRemaining()) {
            long chunk = at / CHUNK;
            int within = (int) (at % CHUNK);
            byte[] own = shadow.get(chunk);
            if (own == null) {
                own = new byte[CHUNK];
                int n = (int) Math.min(CHUNK, size - chunk * CHUNK);
                readBase(chunk * CHUNK, ByteBuffer.wrap(own, 0, n));
                shadow.put(chunk, own);
            }
            int n = Math.min(CHUNK - within, src.remaining());
            src.get(own, within, n);
            at += n;
        }
    }

    @Override
    public void flush() throws IOException {
        if (mode == Mode.WRITE_THROUGH) {
            file.force(false);
        }
    }

    @Override
    public void close() throws IOException {
        if (file != null) {
            file.close();
        }
    }

    private void checkRange(long offset, int length) throws IOException {
        if (offset < 0 || offset > size || length > size - offset) {
            throw new IOException(name + ": " + length + " bytes at " + offset + " are not inside its " + size + " bytes");
        }
    }

    /** The image's own bytes, without the shadow. */
    private void readBase(long offset, ByteBuffer dst) throws IOException {
        if (bytes != null) {
            dst.put(bytes, (int) offset, dst.remaining());
            return;
        }
        long at = offset;
        while (dst.hasRemaining()) {
            int n = file.read(dst, at);
            if (n < 0) {
                throw new IOException(name + " ended at " + at + " while reading: it shrank after it was opened");
            }
            at += n;
        }
    }

    @Override
    public String toString() {
        return "DiskImage[" + describe() + ", " + size + " bytes]";
    }
}
