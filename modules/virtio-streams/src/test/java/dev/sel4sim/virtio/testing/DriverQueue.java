package dev.sel4sim.virtio.testing;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The driver's half of one split virtqueue, laid out in {@link TestRam} exactly as a guest driver lays it out:
 * descriptor table, available ring with {@code used_event}, used ring with {@code avail_event}.
 */
public final class DriverQueue {
    public static final int NEXT = 1;
    public static final int WRITE = 2;
    public static final int INDIRECT = 4;

    /** A used-ring entry with the bytes the device wrote into the chain's writable buffers. */
    public record Used(int id, long len, byte[] data) {
    }

    private final TestRam ram;
    private final int size;
    private final long desc;
    private final long avail;
    private final long used;
    private final Deque<Integer> free = new ArrayDeque<>();
    private final Map<Integer, List<long[]>> writableOf = new HashMap<>();
    private final Map<Integer, List<Integer>> descsOf = new HashMap<>();
    private int availIdx;
    private int lastUsed;

    /** Rings allocated separately (modern layout). */
    public static DriverQueue modern(TestRam ram, int size) {
        long desc = ram.alloc(16L * size, 16);
        long avail = ram.alloc(6L + 2L * size, 2);
        long used = ram.alloc(6L + 8L * size, 4);
        return new DriverQueue(ram, size, desc, avail, used);
    }

    /** Rings contiguous from a page, used ring aligned to {@code align} (legacy layout). */
    public static DriverQueue legacy(TestRam ram, int size, int pageSize, int align) {
        long bytes = 16L * size + 6L + 2L * size;
        bytes = (bytes + align - 1) / align * align + 6L + 8L * size;
        long desc = ram.alloc(bytes, pageSize);
        long avail = desc + 16L * size;
        long used = (avail + 6L + 2L * size + align - 1) / align * align;
        return new DriverQueue(ram, size, desc, avail, used);
    }

    public DriverQueue(TestRam ram, int size, long desc, long avail, long used) {
        this.ram = ram;
        this.size = size;
        this.desc = desc;
        this.avail = avail;
        this.used = used;
        for (int i = 0; i < size; i++) {
            free.add(i);
        }
    }

    public int size() {
        return size;
    }

    public long desc() {
        return desc;
    }

    public long avail() {
        return avail;
    }

    public long used() {
        return used;
    }

    public int freeDescriptors() {
        return free.size();
    }

    /** Writes descriptor {@code i} of the main table. */
    public void setDesc(int i, long addr, long len, int flags, int next) {
        writeDesc(desc + 16L * i, addr, len, flags, next);
    }

    public void writeDesc(long at, long addr, long len, int flags, int next) {
        ram.put64(at, addr);
        ram.put32(at + 8, len);
        ram.put16(at + 12, flags);
        ram.put16(at + 14, next);
    }

    /** Puts {@code head} into the next available-ring slot and bumps the available index. */
    public void publish(int head) {
        ram.put16(avail + 4 + 2L * (availIdx % size), head);
        availIdx = (availIdx + 1) & 0xffff;
        ram.put16(avail + 2, availIdx);
    }

    /** Overwrites the available index (to test a driver that lies about it). */
    public void setAvailIdx(int idx) {
        ram.put16(avail + 2, idx);
    }

    public void setAvailFlags(int flags) {
        ram.put16(avail, flags);
    }

    public void setUsedEvent(int v) {
        ram.put16(avail + 4 + 2L * size, v);
    }

    public int availEvent() {
        return ram.get16(used + 4 + 8L * size);
    }

    public int usedIdx() {
        return ram.get16(used + 2);
    }

    /**
     * Posts a chain of readable buffers holding {@code out} then writable buffers of {@code inLengths} bytes,
     * through the main table.
     *
     * @return the head index
     */
    public int add(List<byte[]> out, int... inLengths) {
        int count = out.size() + inLengths.length;
        if (count == 0 || count > free.size()) {
            throw new IllegalStateException("no room for a chain of " + count);
        }
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(free.poll());
        }
        List<long[]> writable = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int flags = i + 1 < count ? NEXT : 0;
            long addr;
            long len;
            if (i < out.size()) {
                byte[] data = out.get(i);
                addr = ram.alloc(Math.max(1, data.length), 8);
                ram.putBytes(addr, data);
                len = data.length;
            } else {
                len = inLengths[i - out.size()];
                addr = ram.alloc(Math.max(1, len), 8);
                flags |= WRITE;
                writable.add(new long[] {addr, len});
            }
            setDesc(ids.get(i), addr, len, flags, i + 1 < count ? ids.get(i + 1) : 0);
        }
        int head = ids.get(0);
        writableOf.put(head, writable);
        descsOf.put(head, ids);
        publish(head);
        return head;
    }

    /** Posts the same kind of chain through one indirect table referenced by a single main-table descriptor. */
    public int addIndirect(List<byte[]> out, int... inLengths) {
        int count = out.size() + inLengths.length;
        long table = ram.alloc(16L * count, 16);
        List<long[]> writable = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int flags = i + 1 < count ? NEXT : 0;
            long addr;
            long len;
            if (i < out.size()) {
                byte[] data = out.get(i);
                addr = ram.alloc(Math.max(1, data.length), 8);
                ram.putBytes(addr, data);
                len = data.length;
            } else {
                len = inLengths[i - out.size()];
                addr = ram.alloc(Math.max(1, len), 8);
                flags |= WRITE;
                writable.add(new long[] {addr, len});
            }
            writeDesc(table + 16L * i, addr, len, flags, i + 1);
        }
        int head = free.poll();
        setDesc(head, table, 16L * count, INDIRECT, 0);
        writableOf.put(head, writable);
        descsOf.put(head, List.of(head));
        publish(head);
        return head;
    }

    /** @return the used entries the device returned since the last call, freeing their descriptors */
    public List<Used> takeUsed() {
        List<Used> out = new ArrayList<>();
        int now = usedIdx();
        while (lastUsed != now) {
            long e = used + 4 + 8L * (lastUsed % size);
            int id = (int) ram.get32(e);
            long len = ram.get32(e + 4);
            byte[] data = new byte[(int) len];
            int at = 0;
            for (long[] w : writableOf.getOrDefault(id, List.of())) {
                int n = (int) Math.min(w[1], len - at);
                if (n <= 0) {
                    break;
                }
                System.arraycopy(ram.getBytes(w[0], n), 0, data, at, n);
                at += n;
            }
            out.add(new Used(id, len, data));
            writableOf.remove(id);
            List<Integer> ids = descsOf.remove(id);
            if (ids != null) {
                free.addAll(ids);
            }
            lastUsed = (lastUsed + 1) & 0xffff;
        }
        return out;
    }
}
