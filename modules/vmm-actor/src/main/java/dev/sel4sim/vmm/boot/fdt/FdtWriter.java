package dev.sel4sim.vmm.boot.fdt;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a flattened device tree blob (DTB), version 17, last compatible version 16.
 *
 * <p>Use it as a stream: {@link #beginNode} the root (name {@code ""}), add properties, nest nodes,
 * {@link #endNode}, then {@link #finish}. Property names go to the strings block once each, however often
 * they are used. The writer rejects what would make a blob that readers misparse (a property after a subnode,
 * a duplicate name in one node, a phandle used twice, unbalanced nodes) with an {@link IllegalStateException}
 * or {@link IllegalArgumentException}: those are mistakes of the calling code, not of guest input.
 *
 * <p>Layout: header (40 bytes), memory reservation block at offset 40 (8-byte aligned), structure block
 * (4-byte aligned), strings block; {@code totalsize} is the end of the strings block.
 */
public final class FdtWriter {

    private static final String NODE_NAME_CHARS =
            "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ,._+-";
    private static final String PROPERTY_NAME_CHARS = NODE_NAME_CHARS + "?#";

    private final ByteArrayOutputStream structure = new ByteArrayOutputStream();
    private final ByteArrayOutputStream strings = new ByteArrayOutputStream();
    private final Map<String, Integer> stringOffsets = new LinkedHashMap<>();
    private final List<FdtReservation> reservations = new ArrayList<>();
    private final Deque<OpenNode> open = new ArrayDeque<>();
    private final Set<Integer> phandlesAllocated = new HashSet<>();
    private final Set<Integer> phandlesWritten = new HashSet<>();
    private int nextPhandle = 1;
    private int bootCpuidPhys;
    private boolean rootDone;
    private boolean finished;

    /** One node between its begin and end: what it holds so far. */
    private static final class OpenNode {
        final String name;
        final Set<String> propertyNames = new HashSet<>();
        final Set<String> childNames = new HashSet<>();
        boolean hasChildren;

        OpenNode(String name) {
            this.name = name;
        }
    }

    /** Starts an empty blob: no reservations, boot CPU 0. */
    public FdtWriter() {
    }

    /**
     * Writes a whole tree.
     *
     * @param tree the tree; its root name must be empty
     * @return the blob
     */
    public static byte[] write(FdtTree tree) {
        FdtWriter writer = new FdtWriter().bootCpuidPhys(tree.bootCpuidPhys());
        for (FdtReservation r : tree.reservations()) {
            writer.reserve(r.address(), r.size());
        }
        return writer.node(tree.root()).finish();
    }

    /**
     * @param cpuId the physical id ({@code reg} of its cpu node) of the CPU the client boots on
     * @return this writer
     */
    public FdtWriter bootCpuidPhys(int cpuId) {
        checkNotFinished();
        bootCpuidPhys = cpuId;
        return this;
    }

    /**
     * Adds an entry to the memory reservation block.
     *
     * @param address first reserved byte
     * @param size    length in bytes
     * @return this writer
     */
    public FdtWriter reserve(long address, long size) {
        checkNotFinished();
        reservations.add(new FdtReservation(address, size));
        return this;
    }

    /**
     * Opens a node. The first node is the root and must be named {@code ""}.
     *
     * @param name the node name with its unit address, e.g. {@code "memory@40000000"}
     * @return this writer
     */
    public FdtWriter beginNode(String name) {
        checkNotFinished();
        if (open.isEmpty()) {
            if (rootDone) {
                throw new IllegalStateException("a device tree has one root; it is already closed");
            }
            if (!name.isEmpty()) {
                throw new IllegalArgumentException("the root node's name must be empty, got '" + name + "'");
            }
        } else {
            checkNodeName(name);
            OpenNode parent = open.peek();
            if (!parent.childNames.add(name)) {
                throw new IllegalArgumentException("node '" + name + "' appears twice in " + path());
            }
            parent.hasChildren = true;
            if (open.size() >= FdtFormat.MAX_DEPTH) {
                throw new IllegalStateException("nodes nested deeper than " + FdtFormat.MAX_DEPTH);
            }
        }
        putInt(structure, FdtFormat.FDT_BEGIN_NODE);
        structure.writeBytes(name.getBytes(StandardCharsets.US_ASCII));
        structure.write(0);
        pad(structure);
        open.push(new OpenNode(name));
        return this;
    }

    /**
     * Closes the innermost open node.
     *
     * @return this writer
     */
    public FdtWriter endNode() {
        checkNotFinished();
        if (open.isEmpty()) {
            throw new IllegalStateException("endNode without an open node");
        }
        open.pop();
        putInt(structure, FdtFormat.FDT_END_NODE);
        if (open.isEmpty()) {
            rootDone = true;
        }
        return this;
    }

    /**
     * Adds a property with a raw value to the open node. A property named {@code phandle} is checked for
     * uniqueness across the blob.
     *
     * @param name  the property name
     * @param value the value bytes, written as they are
     * @return this writer
     */
    public FdtWriter property(String name, byte[] value) {
        checkNotFinished();
        if (open.isEmpty()) {
            throw new IllegalStateException("property '" + name + "' outside any node");
        }
        checkPropertyName(name);
        OpenNode node = open.peek();
        if (node.hasChildren) {
            throw new IllegalStateException("property '" + name + "' after a subnode in " + path()
                    + ": properties come before subnodes");
        }
        if (!node.propertyNames.add(name)) {
            throw new IllegalArgumentException("property '" + name + "' appears twice in " + path());
        }
        if (name.equals("phandle") || name.equals("linux,phandle")) {
            notePhandle(value);
        }
        putInt(structure, FdtFormat.FDT_PROP);
        putInt(structure, value.length);
        putInt(structure, stringOffset(name));
        structure.writeBytes(value);
        pad(structure);
        return this;
    }

    /** Adds a property with an empty value (a flag such as {@code interrupt-controller}). */
    public FdtWriter propertyEmpty(String name) {
        return property(name, new byte[0]);
    }

    /** Adds a property of one 32-bit cell. */
    public FdtWriter propertyU32(String name, int value) {
        return propertyCells(name, value);
    }

    /** Adds a property of one 64-bit value (two cells, high first). */
    public FdtWriter propertyU64(String name, long value) {
        return property(name, ByteBuffer.allocate(8).putLong(value).array());
    }

    /** Adds a property of 32-bit cells, e.g. an interrupt specifier or a phandle list. */
    public FdtWriter propertyCells(String name, int... cells) {
        return property(name, FdtProperty.cells(name, cells).value());
    }

    /**
     * Adds a property of (address, size) pairs encoded in the parent bus's cell counts, such as {@code reg}.
     *
     * @param name              the property name
     * @param addressCells      cells per address (1 or 2)
     * @param sizeCells         cells per size (0, 1 or 2)
     * @param addressSizePairs  address, size, address, size, ...; with {@code sizeCells == 0}, addresses only
     * @return this writer
     * @throws IllegalArgumentException if a value does not fit its cells
     */
    public FdtWriter propertyReg(String name, int addressCells, int sizeCells, long... addressSizePairs) {
        if (addressCells < 1 || addressCells > 2 || sizeCells < 0 || sizeCells > 2) {
            throw new IllegalArgumentException("cell counts must be 1..2 (address) and 0..2 (size)");
        }
        int per = sizeCells == 0 ? 1 : 2;
        if (addressSizePairs.length % per != 0) {
            throw new IllegalArgumentException("property " + name + ": an incomplete (address, size) pair");
        }
        ByteBuffer buffer = ByteBuffer.allocate(addressSizePairs.length / per * (addressCells + sizeCells) * 4);
        for (int i = 0; i < addressSizePairs.length; i++) {
            boolean isAddress = per == 1 || i % 2 == 0;
            putCells(buffer, name, addressSizePairs[i], isAddress ? addressCells : sizeCells);
        }
        return property(name, buffer.array());
    }

    /** Adds a property of one NUL-terminated string. */
    public FdtWriter propertyString(String name, String value) {
        return propertyStrings(name, value);
    }

    /** Adds a string list, e.g. {@code compatible = "arm,pl011", "arm,primecell"}. */
    public FdtWriter propertyStrings(String name, String... values) {
        return property(name, FdtProperty.strings(name, values).value());
    }

    /**
     * Reserves a phandle no node of this blob has yet; write it into the node it names with
     * {@link #propertyPhandle}.
     *
     * @return a fresh phandle value
     */
    public int allocatePhandle() {
        checkNotFinished();
        while (phandlesAllocated.contains(nextPhandle) || phandlesWritten.contains(nextPhandle)) {
            nextPhandle++;
        }
        phandlesAllocated.add(nextPhandle);
        return nextPhandle++;
    }

    /** Writes the open node's {@code phandle} property. */
    public FdtWriter propertyPhandle(int phandle) {
        return propertyU32("phandle", phandle);
    }

    /**
     * Writes a whole subtree as a child of the open node (or as the root when none is open).
     *
     * @param node the subtree
     * @return this writer
     */
    public FdtWriter node(FdtNode node) {
        beginNode(node.name());
        for (FdtProperty p : node.properties()) {
            property(p.name(), p.value());
        }
        for (FdtNode child : node.children()) {
            node(child);
        }
        return endNode();
    }

    /**
     * Ends the structure block and assembles the blob. The writer cannot be used afterwards.
     *
     * @return the DTB bytes
     */
    public byte[] finish() {
        checkNotFinished();
        if (!open.isEmpty()) {
            throw new IllegalStateException("node " + path() + " is still open");
        }
        if (!rootDone) {
            throw new IllegalStateException("no root node was written");
        }
        putInt(structure, FdtFormat.FDT_END);
        finished = true;

        int offRsvmap = FdtFormat.HEADER_SIZE;
        int offStruct = offRsvmap + (reservations.size() + 1) * 16;
        int offStrings = offStruct + structure.size();
        int total = offStrings + strings.size();
        ByteBuffer blob = ByteBuffer.allocate(total);
        blob.putInt(FdtFormat.MAGIC)
                .putInt(total)
                .putInt(offStruct)
                .putInt(offStrings)
                .putInt(offRsvmap)
                .putInt(FdtFormat.VERSION)
                .putInt(FdtFormat.LAST_COMPATIBLE_VERSION)
                .putInt(bootCpuidPhys)
                .putInt(strings.size())
                .putInt(structure.size());
        for (FdtReservation r : reservations) {
            blob.putLong(r.address()).putLong(r.size());
        }
        blob.putLong(0).putLong(0);
        blob.put(structure.toByteArray());
        blob.put(strings.toByteArray());
        return blob.array();
    }

    private void notePhandle(byte[] value) {
        if (value.length != 4) {
            throw new IllegalArgumentException("a phandle is one cell, got " + value.length + " bytes");
        }
        int phandle = ByteBuffer.wrap(value).getInt();
        if (!FdtFormat.validPhandle(phandle)) {
            throw new IllegalArgumentException("phandle 0x" + Integer.toHexString(phandle) + " is reserved");
        }
        if (!phandlesWritten.add(phandle)) {
            throw new IllegalArgumentException("phandle " + phandle + " is already used by another node");
        }
    }

    private int stringOffset(String name) {
        Integer offset = stringOffsets.get(name);
        if (offset == null) {
            offset = strings.size();
            strings.writeBytes(name.getBytes(StandardCharsets.US_ASCII));
            strings.write(0);
            stringOffsets.put(name, offset);
        }
        return offset;
    }

    private static void putCells(ByteBuffer buffer, String name, long value, int cells) {
        if (cells == 1) {
            if (value < 0 || value > 0xffff_ffffL) {
                throw new IllegalArgumentException("property " + name + ": 0x" + Long.toHexString(value)
                        + " does not fit one cell");
            }
            buffer.putInt((int) value);
        } else if (cells == 2) {
            buffer.putLong(value);
        } else if (value != 0) {
            throw new IllegalArgumentException("property " + name + ": a size given where #size-cells is 0");
        }
    }

    private String path() {
        StringBuilder sb = new StringBuilder();
        var it = open.descendingIterator();
        while (it.hasNext()) {
            String n = it.next().name;
            if (!n.isEmpty()) {
                sb.append('/').append(n);
            }
        }
        return sb.isEmpty() ? "/" : sb.toString();
    }

    private void checkNotFinished() {
        if (finished) {
            throw new IllegalStateException("the blob is already finished");
        }
    }

    private static void checkNodeName(String name) {
        int at = name.indexOf('@');
        String base = at < 0 ? name : name.substring(0, at);
        String unit = at < 0 ? "" : name.substring(at + 1);
        if (base.isEmpty() || base.length() > FdtFormat.MAX_NAME_LENGTH || !allIn(base, NODE_NAME_CHARS)
                || (at >= 0 && (unit.isEmpty() || !allIn(unit, NODE_NAME_CHARS)))) {
            throw new IllegalArgumentException("bad node name '" + name + "': expected 1-31 of [0-9a-zA-Z,._+-]"
                    + ", optionally '@' and a unit address of the same characters");
        }
    }

    private static void checkPropertyName(String name) {
        if (name.isEmpty() || name.length() > FdtFormat.MAX_NAME_LENGTH || !allIn(name, PROPERTY_NAME_CHARS)) {
            throw new IllegalArgumentException("bad property name '" + name + "': expected 1-31 of "
                    + "[0-9a-zA-Z,._+?#-]");
        }
    }

    private static boolean allIn(String s, String allowed) {
        for (int i = 0; i < s.length(); i++) {
            if (allowed.indexOf(s.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    private static void putInt(ByteArrayOutputStream out, int value) {
        out.write(value >>> 24);
        out.write(value >>> 16);
        out.write(value >>> 8);
        out.write(value);
    }

    private static void pad(ByteArrayOutputStream out) {
        while (out.size() % 4 != 0) {
            out.write(0);
        }
    }
}
