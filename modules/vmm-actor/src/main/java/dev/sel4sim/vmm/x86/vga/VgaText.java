package dev.sel4sim.vmm.x86.vga;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * The VGA colour text buffer at 0xB8000: 32 KiB of memory the guest writes as cells of a character
 * byte and an attribute byte, 80 columns by 25 rows on the first page. It is plain memory mapped into
 * the VCPU (no exit per character); the screen is read from it on demand.
 */
public final class VgaText implements AutoCloseable {
    public static final long BASE = 0xb8000;
    public static final long SIZE = 0x8000;
    public static final int COLUMNS = 80;
    public static final int ROWS = 25;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment memory = arena.allocate(SIZE, 4096);

    /** The buffer, to be mapped at {@link #BASE}. */
    public MemorySegment memory() {
        return memory;
    }

    /** The character byte of a cell. */
    public int character(int row, int column) {
        return memory.get(JAVA_BYTE, cell(row, column)) & 0xff;
    }

    /** The attribute byte of a cell (background << 4 | foreground). */
    public int attribute(int row, int column) {
        return memory.get(JAVA_BYTE, cell(row, column) + 1) & 0xff;
    }

    /** One row as text: printable ASCII as it is, NUL as a space, anything else as '?'; trailing spaces removed. */
    public String row(int row) {
        StringBuilder s = new StringBuilder(COLUMNS);
        for (int c = 0; c < COLUMNS; c++) {
            int ch = character(row, c);
            s.append(ch == 0 ? ' ' : ch >= 0x20 && ch < 0x7f ? (char) ch : '?');
        }
        return s.toString().stripTrailing();
    }

    /** All rows of the first page. */
    public List<String> screen() {
        List<String> rows = new ArrayList<>(ROWS);
        for (int r = 0; r < ROWS; r++) {
            rows.add(row(r));
        }
        return rows;
    }

    private static long cell(int row, int column) {
        if (row < 0 || row >= ROWS || column < 0 || column >= COLUMNS) {
            throw new IndexOutOfBoundsException("cell " + row + "," + column + " is outside 80x25");
        }
        return 2L * (row * COLUMNS + column);
    }

    @Override
    public void close() {
        arena.close();
    }
}
