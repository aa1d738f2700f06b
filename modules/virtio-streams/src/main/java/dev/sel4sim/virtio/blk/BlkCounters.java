package dev.sel4sim.virtio.blk;

/**
 * What a block device has done so far.
 *
 * @param reads        IN requests that succeeded
 * @param writes       OUT requests that succeeded
 * @param flushes      FLUSH requests that succeeded
 * @param bytesRead    bytes read from the backend into the guest
 * @param bytesWritten bytes written from the guest to the backend
 * @param ioErrors     requests answered VIRTIO_BLK_S_IOERR (out of range, bad length, read-only, backend failure)
 * @param unsupported  requests answered VIRTIO_BLK_S_UNSUPP (unknown type)
 */
public record BlkCounters(long reads, long writes, long flushes, long bytesRead, long bytesWritten, long ioErrors,
        long unsupported) {
}
