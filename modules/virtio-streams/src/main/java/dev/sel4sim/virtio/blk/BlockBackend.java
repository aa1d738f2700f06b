package dev.sel4sim.virtio.blk;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The storage behind a {@link VirtioBlk}: a byte-addressed disk of fixed size. The device calls it on the VM's
 * thread only, one request at a time, so implementations need no locking. Every failure is an
 * {@link IOException}, which the device turns into the request's IOERR status; nothing else may be thrown for
 * bad offsets or lengths.
 */
public interface BlockBackend extends Closeable {

    /** @return the disk's size in bytes; the device offers {@code sizeBytes() / 512} sectors */
    long sizeBytes();

    /** @return whether writes are refused (the device then offers VIRTIO_BLK_F_RO) */
    boolean readOnly();

    /**
     * Fills {@code dst} from its position to its limit with the disk's bytes at {@code offset}; advances its
     * position. {@code dst} may be a view of guest RAM.
     *
     * @throws IOException if the range is not inside the disk or the storage fails
     */
    void read(long offset, ByteBuffer dst) throws IOException;

    /**
     * Writes {@code src} from its position to its limit to the disk at {@code offset}; advances its position.
     *
     * @throws IOException if the disk is read-only, the range is not inside the disk or the storage fails
     */
    void write(long offset, ByteBuffer src) throws IOException;

    /** Makes every completed write durable (VIRTIO_BLK_T_FLUSH). */
    void flush() throws IOException;

    /** @return a short description for messages: the file, or the image's name */
    String describe();
}
