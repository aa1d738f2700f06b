package dev.sel4sim.virtio.queue;

import java.util.ArrayList;
import java.util.List;

import dev.sel4sim.virtio.mem.GuestMemory;
import dev.sel4sim.virtio.queue.VirtqueueError.Reason;

/**
 * Follows one descriptor chain from its head and checks every rule a device depends on, so that what comes out
 * is a list of buffers that are safe to touch. Zero or more direct descriptors may be followed by one indirect
 * descriptor whose table continues the chain (spec 2.7.5.3).
 */
final class ChainWalker {
    private final GuestMemory memory;
    private final int queue;
    private final int size;
    private final long descTable;
    private final boolean indirectAllowed;
    private final long maxChainBytes;

    ChainWalker(GuestMemory memory, int queue, int size, long descTable, boolean indirectAllowed, long maxChainBytes) {
        this.memory = memory;
        this.queue = queue;
        this.size = size;
        this.descTable = descTable;
        this.indirectAllowed = indirectAllowed;
        this.maxChainBytes = maxChainBytes;
    }

    DescriptorChain walk(int head) {
        if (head >= size) {
            throw error(Reason.INDEX_OUT_OF_RANGE, "head index " + head + " >= queue size " + size);
        }
        List<GuestBuffer> readable = new ArrayList<>();
        List<GuestBuffer> writable = new ArrayList<>();
        long table = descTable;
        int tableEntries = size;
        boolean indirect = false;
        int index = head;
        int visited = 0;
        long total = 0;
        while (true) {
            if (++visited > tableEntries) {
                throw error(Reason.CHAIN_LOOP, "chain from head " + head + " visits more than " + tableEntries
                        + " descriptors" + (indirect ? " of its indirect table" : ""));
            }
            Descriptor d = Descriptor.read(memory, table + (long) Descriptor.BYTES * index);
            if (d.has(Descriptor.INDIRECT)) {
                checkIndirect(head, d, indirect);
                table = d.addr();
                tableEntries = (int) (d.length() / Descriptor.BYTES);
                indirect = true;
                index = 0;
                visited = 0;
                continue;
            }
            if (!memory.contains(d.addr(), d.length())) {
                throw error(Reason.OUTSIDE_RAM, "descriptor " + index + where(indirect) + " of chain " + head + " " + d
                        + " is not inside guest RAM (" + memory + ")");
            }
            total += d.length();
            if (total > maxChainBytes) {
                throw error(Reason.CHAIN_TOO_LONG, "chain from head " + head + " holds more than " + maxChainBytes
                        + " bytes");
            }
            GuestBuffer buffer = new GuestBuffer(d.addr(), (int) d.length());
            if (d.has(Descriptor.WRITE)) {
                writable.add(buffer);
            } else if (!writable.isEmpty()) {
                throw error(Reason.READABLE_AFTER_WRITABLE, "descriptor " + index + where(indirect) + " of chain "
                        + head + " is device-readable but follows a device-writable one");
            } else {
                readable.add(buffer);
            }
            if (!d.has(Descriptor.NEXT)) {
                return new DescriptorChain(head, readable, writable);
            }
            index = d.next();
            if (index >= tableEntries) {
                throw error(Reason.INDEX_OUT_OF_RANGE, "next index " + index + where(indirect) + " in chain " + head
                        + " >= " + tableEntries);
            }
        }
    }

    private void checkIndirect(int head, Descriptor d, boolean alreadyIndirect) {
        if (alreadyIndirect) {
            throw error(Reason.NESTED_INDIRECT, "indirect table of chain " + head + " holds another indirect descriptor");
        }
        if (!indirectAllowed) {
            throw error(Reason.INDIRECT_NOT_NEGOTIATED, "chain " + head
                    + " uses an indirect descriptor but VIRTIO_F_INDIRECT_DESC was not negotiated");
        }
        if (d.has(Descriptor.NEXT)) {
            throw error(Reason.INDIRECT_WITH_NEXT, "indirect descriptor of chain " + head + " also has NEXT set");
        }
        long entries = d.length() / Descriptor.BYTES;
        if (d.length() == 0 || d.length() % Descriptor.BYTES != 0 || entries > size) {
            throw error(Reason.BAD_INDIRECT_LENGTH, "indirect table of chain " + head + " is " + d.length()
                    + " bytes: not a non-zero multiple of 16 of at most " + size + " entries");
        }
        if (!memory.contains(d.addr(), d.length())) {
            throw error(Reason.OUTSIDE_RAM, "indirect table of chain " + head + " " + d + " is not inside guest RAM ("
                    + memory + ")");
        }
    }

    private static String where(boolean indirect) {
        return indirect ? " (indirect)" : "";
    }

    private VirtqueueException error(Reason reason, String detail) {
        return new VirtqueueException(reason, queue, detail);
    }
}
