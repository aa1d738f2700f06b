package dev.sel4sim.vmm.boot.fdt;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * Parses a device tree blob into an {@link FdtTree}.
 *
 * <p>Every offset, length and name is checked against its block before it is used, so a malformed or hostile
 * blob gives an {@link FdtFormatException} naming the problem and its offset, never an index error. Names are
 * decoded as ISO-8859-1, which maps every byte to one character and loses nothing.
 */
public final class FdtReader {

    private final byte[] blob;
    private final ByteBuffer buffer;
    private final FdtHeader header;
    private final long structEnd;

    private FdtReader(byte[] blob, FdtHeader header) {
        this.blob = blob;
        this.buffer = ByteBuffer.wrap(blob);
        this.header = header;
        this.structEnd = header.offDtStruct() + header.sizeDtStruct();
    }

    /**
     * @param blob a DTB
     * @return its tree
     * @throws FdtFormatException if the blob is malformed, with what and where
     */
    public static FdtTree read(byte[] blob) throws FdtFormatException {
        FdtHeader header = FdtHeader.parse(blob);
        FdtReader reader = new FdtReader(blob, header);
        return new FdtTree(reader.reservations(), header.bootCpuidPhys(), reader.structure());
    }

    private List<FdtReservation> reservations() throws FdtFormatException {
        List<FdtReservation> out = new ArrayList<>();
        long at = header.offMemRsvmap();
        while (true) {
            if (at + 16 > header.totalSize()) {
                throw new FdtFormatException("memory reservation block at " + header.offMemRsvmap()
                        + " has no (0, 0) terminator before the end of the blob");
            }
            long address = buffer.getLong((int) at);
            long size = buffer.getLong((int) at + 8);
            if (address == 0 && size == 0) {
                return out;
            }
            out.add(new FdtReservation(address, size));
            at += 16;
        }
    }

    /** A node being read: what it has so far. */
    private static final class Building {
        final String name;
        final List<FdtProperty> properties = new ArrayList<>();
        final List<FdtNode> children = new ArrayList<>();

        Building(String name) {
            this.name = name;
        }

        FdtNode build() {
            return new FdtNode(name, properties, children);
        }
    }

    private FdtNode structure() throws FdtFormatException {
        long at = header.offDtStruct();
        Deque<Building> stack = new ArrayDeque<>();
        FdtNode root = null;
        while (true) {
            long tokenAt = at;
            int token = readInt(at, "token");
            at += 4;
            switch (token) {
                case FdtFormat.FDT_NOP -> {
                }
                case FdtFormat.FDT_BEGIN_NODE -> {
                    if (root != null) {
                        throw new FdtFormatException("a second root node at offset " + tokenAt);
                    }
                    if (stack.size() >= FdtFormat.MAX_DEPTH) {
                        throw new FdtFormatException("nodes nested deeper than " + FdtFormat.MAX_DEPTH
                                + " at offset " + tokenAt);
                    }
                    int nameEnd = terminator(at, structEnd, "node name at offset " + at);
                    String name = new String(blob, (int) at, nameEnd - (int) at, StandardCharsets.ISO_8859_1);
                    at = align4(nameEnd + 1L);
                    stack.push(new Building(name));
                }
                case FdtFormat.FDT_END_NODE -> {
                    if (stack.isEmpty()) {
                        throw new FdtFormatException("FDT_END_NODE without an open node at offset " + tokenAt);
                    }
                    FdtNode done = stack.pop().build();
                    if (stack.isEmpty()) {
                        root = done;
                    } else {
                        stack.peek().children.add(done);
                    }
                }
                case FdtFormat.FDT_PROP -> {
                    if (stack.isEmpty()) {
                        throw new FdtFormatException("property outside any node at offset " + tokenAt);
                    }
                    Building node = stack.peek();
                    if (!node.children.isEmpty()) {
                        throw new FdtFormatException("property after a subnode at offset " + tokenAt);
                    }
                    long length = Integer.toUnsignedLong(readInt(at, "property length"));
                    long nameOffset = Integer.toUnsignedLong(readInt(at + 4, "property name offset"));
                    at += 8;
                    if (at + length > structEnd) {
                        throw new FdtFormatException("property value of " + length + " bytes at offset " + at
                                + " runs past the structure block's end " + structEnd);
                    }
                    byte[] value = Arrays.copyOfRange(blob, (int) at, (int) (at + length));
                    at = align4(at + length);
                    node.properties.add(new FdtProperty(propertyName(nameOffset, tokenAt), value));
                }
                case FdtFormat.FDT_END -> {
                    if (!stack.isEmpty()) {
                        throw new FdtFormatException("FDT_END at offset " + tokenAt + " inside node '"
                                + stack.peek().name + "'");
                    }
                    if (root == null) {
                        throw new FdtFormatException("the structure block has no root node");
                    }
                    return root;
                }
                default -> throw new FdtFormatException("unknown structure token 0x"
                        + Integer.toHexString(token) + " at offset " + tokenAt);
            }
        }
    }

    private String propertyName(long nameOffset, long tokenAt) throws FdtFormatException {
        if (nameOffset >= header.sizeDtStrings()) {
            throw new FdtFormatException("property at offset " + tokenAt + " names string " + nameOffset
                    + ", outside the strings block of " + header.sizeDtStrings() + " bytes");
        }
        long start = header.offDtStrings() + nameOffset;
        int end = terminator(start, header.offDtStrings() + header.sizeDtStrings(),
                "property name of the property at offset " + tokenAt);
        return new String(blob, (int) start, end - (int) start, StandardCharsets.ISO_8859_1);
    }

    private int terminator(long from, long limit, String what) throws FdtFormatException {
        for (long i = from; i < limit; i++) {
            if (blob[(int) i] == 0) {
                return (int) i;
            }
        }
        throw new FdtFormatException(what + " is not NUL-terminated within its block");
    }

    private int readInt(long at, String what) throws FdtFormatException {
        if (at + 4 > structEnd) {
            throw new FdtFormatException(what + " at offset " + at + " runs past the structure block's end "
                    + structEnd + " (missing FDT_END?)");
        }
        return buffer.getInt((int) at);
    }

    private static long align4(long offset) {
        return (offset + 3) & ~3L;
    }
}
