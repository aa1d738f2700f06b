package dev.sel4sim.virtio.blk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import dev.sel4sim.virtio.device.DeviceContext;
import dev.sel4sim.virtio.device.FeatureBits;
import dev.sel4sim.virtio.device.VirtioDevice;
import dev.sel4sim.virtio.mem.GuestMemory;
import dev.sel4sim.virtio.queue.DescriptorChain;
import dev.sel4sim.virtio.queue.GuestBuffer;
import dev.sel4sim.virtio.queue.SplitVirtqueue;
import dev.sel4sim.virtio.queue.VirtqueueError.Reason;
import dev.sel4sim.virtio.queue.VirtqueueException;

/**
 * virtio-blk (device ID 2, virtio 1.x section 5.2) with one request queue over a {@link BlockBackend}.
 * Requests IN, OUT, FLUSH and GET_ID; any other type is answered UNSUPP. Features BLK_SIZE (512), SEG_MAX,
 * FLUSH, and RO when the backend is read-only.
 *
 * <p>Unlike console and net, a disk has no stream: nothing arrives from the host side on its own. Every request
 * is served synchronously, on the VM's thread, when the driver notifies the queue (or sets DRIVER_OK), and its
 * used entries are published with one interrupt decision per notification. The backend's I/O therefore happens
 * while the VM's VCPUs are stopped, which keeps runs deterministic.
 *
 * <p>A request that is well framed but wrong (out of range, a data length that is not a multiple of 512, a write
 * to a read-only disk, a backend failure) gets VIRTIO_BLK_S_IOERR in its status byte and the device carries on.
 * One without a 16-byte header or without a status byte cannot be answered: it breaks the device
 * ({@link Reason#MALFORMED_REQUEST}), as a malformed chain does, until the driver resets it.
 */
public final class VirtioBlk implements VirtioDevice {
    /** The virtio device ID of a block device. */
    public static final int DEVICE_ID = 2;
    /** The one queue. */
    public static final int REQUESTQ = 0;
    /** Sector size of every request's {@code sector} field, whatever the block size. */
    public static final int SECTOR = 512;

    /** VIRTIO_BLK_F_SEG_MAX: seg_max in the configuration space is valid. */
    public static final int F_SEG_MAX = 2;
    /** VIRTIO_BLK_F_RO: the disk is read-only. */
    public static final int F_RO = 5;
    /** VIRTIO_BLK_F_BLK_SIZE: blk_size in the configuration space is valid. */
    public static final int F_BLK_SIZE = 6;
    /** VIRTIO_BLK_F_FLUSH: the FLUSH request is supported. */
    public static final int F_FLUSH = 9;

    public static final int T_IN = 0;
    public static final int T_OUT = 1;
    public static final int T_FLUSH = 4;
    public static final int T_GET_ID = 8;

    public static final int S_OK = 0;
    public static final int S_IOERR = 1;
    public static final int S_UNSUPP = 2;

    /** Bytes of the request header: type, reserved, sector. */
    public static final int HEADER = 16;
    /** Bytes of the GET_ID answer. */
    public static final int ID_BYTES = 20;

    private static final int QUEUE_SIZE = 256;

    private final BlockBackend backend;
    private final byte[] id;
    private DeviceContext context;

    // Counters: plain state, for snapshots and the end-of-run report.
    private long reads;
    private long writes;
    private long flushes;
    private long bytesRead;
    private long bytesWritten;
    private long ioErrors;
    private long unsupported;

    /**
     * @param backend the disk
     * @param serial  what GET_ID answers (Linux shows it as /sys/block/vdX/serial); its first 20 bytes of ASCII
     */
    public VirtioBlk(BlockBackend backend, String serial) {
        this.backend = Objects.requireNonNull(backend, "backend");
        byte[] s = Objects.requireNonNull(serial, "serial").getBytes(StandardCharsets.US_ASCII);
        this.id = java.util.Arrays.copyOf(s, ID_BYTES);
    }

    /** @return the disk behind the device */
    public BlockBackend backend() {
        return backend;
    }

    /** @return the capacity the guest sees, in 512-byte sectors (a partial last sector is not offered) */
    public long capacitySectors() {
        return backend.sizeBytes() / SECTOR;
    }

    /** @return the counters; read on the VM's thread */
    public BlkCounters counters() {
        return new BlkCounters(reads, writes, flushes, bytesRead, bytesWritten, ioErrors, unsupported);
    }

    @Override
    public int deviceId() {
        return DEVICE_ID;
    }

    @Override
    public long deviceFeatures() {
        long f = FeatureBits.bit(F_SEG_MAX) | FeatureBits.bit(F_BLK_SIZE) | FeatureBits.bit(F_FLUSH);
        return backend.readOnly() ? f | FeatureBits.bit(F_RO) : f;
    }

    @Override
    public int queueCount() {
        return 1;
    }

    @Override
    public int queueMaxSize(int index) {
        return QUEUE_SIZE;
    }

    @Override
    public long maxChainBytes() {
        // Linux's largest request (max_sectors_kb, 1280 KiB by default) with room to spare.
        return 16L << 20;
    }

    /** capacity (le64), size_max (le32, not offered), seg_max (le32), geometry (not offered), blk_size (le32). */
    @Override
    public byte[] configSpace() {
        ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, capacitySectors());
        // Header and status take two descriptors of a direct chain; indirect tables have as many entries.
        b.putInt(12, QUEUE_SIZE - 2);
        b.putInt(20, SECTOR);
        return b.array();
    }

    @Override
    public void attach(DeviceContext ctx) {
        this.context = ctx;
    }

    @Override
    public void activate() {
        serveQueue();
    }

    @Override
    public void queueNotify(int index) {
        if (index == REQUESTQ) {
            serveQueue();
        }
    }

    @Override
    public void reset() {
        // No request outlives a notification: nothing is in flight.
    }

    private void serveQueue() {
        Optional<SplitVirtqueue> queue = context.queue(REQUESTQ);
        if (queue.isEmpty()) {
            return;
        }
        SplitVirtqueue q = queue.get();
        boolean used = false;
        try {
            for (Optional<DescriptorChain> chain = q.pop(); chain.isPresent(); chain = q.pop()) {
                long written = serve(chain.get());
                q.pushUsed(chain.get().head(), written);
                used = true;
            }
        } finally {
            // Requests answered before a malformed one still reach the driver's used ring.
            if (used) {
                context.usedBuffers(REQUESTQ);
            }
        }
    }

    /** Serves one request; returns the bytes written into its writable buffers, status included. */
    private long serve(DescriptorChain chain) {
        long readable = chain.readableLength();
        long writable = chain.writableLength();
        if (readable < HEADER) {
            throw malformed("request " + chain.head() + " has " + readable + " device-readable bytes, less than the "
                    + HEADER + "-byte header");
        }
        if (writable < 1) {
            throw malformed("request " + chain.head() + " has no device-writable byte for its status");
        }
        GuestMemory memory = context.memory();
        ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
        for (GuestBuffer b : BufferSpan.of(chain.readable(), 0, HEADER)) {
            memory.read(b.gpa(), header.slice(header.position(), b.length()));
            header.position(header.position() + b.length());
        }
        int type = header.getInt(0);
        long sector = header.getLong(8);
        List<GuestBuffer> in = BufferSpan.of(chain.writable(), 0, writable - 1);
        List<GuestBuffer> out = BufferSpan.of(chain.readable(), HEADER, readable - HEADER);
        GuestBuffer status = BufferSpan.of(chain.writable(), writable - 1, 1).getFirst();
        long data = 0;
        int result;
        switch (type) {
            case T_IN -> {
                result = read(sector, in, writable - 1);
                data = result == S_OK ? writable - 1 : 0;
            }
            case T_OUT -> result = write(sector, out, readable - HEADER);
            case T_FLUSH -> result = flush();
            case T_GET_ID -> {
                data = getId(in);
                result = S_OK;
            }
            default -> {
                unsupported++;
                result = S_UNSUPP;
            }
        }
        memory.writeU8(status.gpa(), result);
        return data + 1;
    }

    private int read(long sector, List<GuestBuffer> into, long length) {
        if (!inRange(sector, length)) {
            ioErrors++;
            return S_IOERR;
        }
        long offset = sector * SECTOR;
        try {
            for (GuestBuffer b : into) {
                backend.read(offset, guestView(b));
                offset += b.length();
            }
        } catch (IOException e) {
            ioErrors++;
            return S_IOERR;
        }
        reads++;
        bytesRead += length;
        return S_OK;
    }

    private int write(long sector, List<GuestBuffer> from, long length) {
        if (backend.readOnly() || !inRange(sector, length)) {
            ioErrors++;
            return S_IOERR;
        }
        long offset = sector * SECTOR;
        try {
            for (GuestBuffer b : from) {
                backend.write(offset, guestView(b));
                offset += b.length();
            }
        } catch (IOException e) {
            ioErrors++;
            return S_IOERR;
        }
        writes++;
        bytesWritten += length;
        return S_OK;
    }

    private int flush() {
        try {
            backend.flush();
        } catch (IOException e) {
            ioErrors++;
            return S_IOERR;
        }
        flushes++;
        return S_OK;
    }

    /** Writes as much of the 20-byte ID as the buffers take; returns how much that was. */
    private long getId(List<GuestBuffer> into) {
        ByteBuffer src = ByteBuffer.wrap(id);
        for (GuestBuffer b : into) {
            if (!src.hasRemaining()) {
                break;
            }
            int n = Math.min(b.length(), src.remaining());
            context.memory().write(b.gpa(), src.slice(src.position(), n));
            src.position(src.position() + n);
        }
        return src.position();
    }

    /** A whole number of sectors, all inside the disk; {@code sector} is unsigned. */
    private boolean inRange(long sector, long length) {
        if (length % SECTOR != 0) {
            return false;
        }
        long capacity = capacitySectors();
        long count = length / SECTOR;
        return Long.compareUnsigned(sector, capacity) <= 0 && count <= capacity - sector;
    }

    /** Guest RAM behind {@code b} as a buffer the backend reads into or writes from: no copy. */
    private ByteBuffer guestView(GuestBuffer b) {
        return context.memory().slice(b.gpa(), b.length()).asByteBuffer();
    }

    private static VirtqueueException malformed(String detail) {
        return new VirtqueueException(Reason.MALFORMED_REQUEST, REQUESTQ, detail);
    }
}
