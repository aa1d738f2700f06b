package dev.sel4sim.vmm.boot.fdt;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FdtWriterTest {

    /** A root with {@code a = <1>} and an empty child {@code n@1}, laid out by hand from the specification. */
    @Test
    void smallestTreeMatchesTheSpecificationByteForByte() {
        byte[] blob = new FdtWriter()
                .beginNode("").propertyU32("a", 1).beginNode("n@1").endNode().endNode()
                .finish();

        String structure = ""
                + "00000001" + "00000000"                          // FDT_BEGIN_NODE, "" padded to 4
                + "00000003" + "00000004" + "00000000" + "00000001" // FDT_PROP len 4, nameoff 0, <1>
                + "00000001" + "6e403100"                          // FDT_BEGIN_NODE "n@1\0"
                + "00000002" + "00000002"                          // FDT_END_NODE x2
                + "00000009";                                      // FDT_END
        String strings = "6100";                                    // "a\0"
        int offRsvmap = 40;
        int offStruct = offRsvmap + 16;                             // one (0, 0) terminator
        int offStrings = offStruct + structure.length() / 2;
        int total = offStrings + strings.length() / 2;
        String header = String.format("d00dfeed%08x%08x%08x%08x%08x%08x%08x%08x%08x",
                total, offStruct, offStrings, offRsvmap, 17, 16, 0, strings.length() / 2, structure.length() / 2);
        byte[] expected = HexFormat.of().parseHex(header + "0".repeat(32) + structure + strings);

        assertArrayEquals(expected, blob);
        assertEquals(102, blob.length, "40 header + 16 reservations + 44 structure + 2 strings");
    }

    @Test
    void headerFieldsFollowTheSpecification() throws Exception {
        byte[] blob = new FdtWriter().bootCpuidPhys(3).reserve(0x4000_0000L, 0x1000)
                .beginNode("").propertyString("model", "x").endNode().finish();
        ByteBuffer b = ByteBuffer.wrap(blob);
        assertEquals(0xd00dfeed, b.getInt(0), "big-endian magic");
        assertEquals(blob.length, b.getInt(4), "totalsize");
        assertEquals(0, b.getInt(8) % 4, "off_dt_struct 4-aligned");
        assertEquals(0, b.getInt(16) % 8, "off_mem_rsvmap 8-aligned");
        assertEquals(17, b.getInt(20));
        assertEquals(16, b.getInt(24));
        assertEquals(3, b.getInt(28), "boot_cpuid_phys");
        int rsv = b.getInt(16);
        assertEquals(0x4000_0000L, b.getLong(rsv));
        assertEquals(0x1000L, b.getLong(rsv + 8));
        assertEquals(0L, b.getLong(rsv + 16));
        assertEquals(0L, b.getLong(rsv + 24));
        assertEquals(b.getInt(8) + b.getInt(36), b.getInt(12), "strings follow the structure block");
        assertEquals(blob.length, b.getInt(12) + b.getInt(32), "the strings block ends the blob");
        assertEquals(FdtFormat.FDT_END, b.getInt(b.getInt(8) + b.getInt(36) - 4), "structure ends with FDT_END");

        FdtHeader h = FdtHeader.parse(blob);
        assertEquals(3, h.bootCpuidPhys());
        assertEquals(blob.length, h.totalSize());
    }

    @Test
    void propertyNamesAreStoredOnce() {
        byte[] blob = new FdtWriter().beginNode("")
                .beginNode("a").propertyString("compatible", "x").propertyU32("reg", 1).endNode()
                .beginNode("b").propertyString("compatible", "y").propertyU32("reg", 2).endNode()
                .beginNode("c").propertyString("compatible", "z").endNode()
                .endNode().finish();
        ByteBuffer b = ByteBuffer.wrap(blob);
        int offStrings = b.getInt(12);
        int size = b.getInt(32);
        assertEquals("compatible\0reg\0", new String(blob, offStrings, size, StandardCharsets.US_ASCII));
    }

    @Test
    void regCellsFollowTheBusCellCounts() throws Exception {
        byte[] blob = new FdtWriter().beginNode("")
                .propertyReg("two", 2, 2, 0x1_0000_0000L, 0x200L)
                .propertyReg("one", 1, 1, 0x0900_0000L, 0x1000L)
                .propertyReg("addr", 1, 0, 5L)
                .endNode().finish();
        FdtNode root = FdtReader.read(blob).root();
        assertArrayEquals(new int[] {1, 0, 0, 0x200}, root.property("two").orElseThrow().cells().orElseThrow());
        assertArrayEquals(new int[] {0x0900_0000, 0x1000}, root.property("one").orElseThrow().cells().orElseThrow());
        assertArrayEquals(new int[] {5}, root.property("addr").orElseThrow().cells().orElseThrow());
        assertThrows(IllegalArgumentException.class,
                () -> new FdtWriter().beginNode("").propertyReg("r", 1, 1, 0x1_0000_0000L, 1));
    }

    @Test
    void phandlesAreUniqueAndNeverZero() {
        FdtWriter w = new FdtWriter();
        int first = w.allocatePhandle();
        int second = w.allocatePhandle();
        assertEquals(1, first);
        assertEquals(2, second);
        w.beginNode("").beginNode("x").propertyPhandle(first).endNode();
        assertThrows(IllegalArgumentException.class, () -> w.beginNode("y").propertyPhandle(first));

        FdtWriter explicit = new FdtWriter().beginNode("").beginNode("x").propertyU32("phandle", 1).endNode();
        assertEquals(2, explicit.allocatePhandle(), "an explicitly written phandle is skipped");
        assertThrows(IllegalArgumentException.class,
                () -> new FdtWriter().beginNode("").propertyU32("phandle", 0));
    }

    @Test
    void misuseIsRejectedWithAClearError() {
        assertThrows(IllegalStateException.class, () -> new FdtWriter().finish(), "no root");
        assertThrows(IllegalStateException.class, () -> new FdtWriter().beginNode("").finish(), "open root");
        assertThrows(IllegalArgumentException.class, () -> new FdtWriter().beginNode("root"));
        assertThrows(IllegalStateException.class,
                () -> new FdtWriter().beginNode("").beginNode("a").endNode().propertyU32("late", 1));
        assertThrows(IllegalArgumentException.class,
                () -> new FdtWriter().beginNode("").propertyU32("p", 1).propertyU32("p", 2));
        assertThrows(IllegalArgumentException.class,
                () -> new FdtWriter().beginNode("").beginNode("a").endNode().beginNode("a"));
        assertThrows(IllegalArgumentException.class, () -> new FdtWriter().beginNode("").beginNode("bad name"));
        assertThrows(IllegalArgumentException.class, () -> new FdtWriter().beginNode("").beginNode("a@"));
        assertThrows(IllegalArgumentException.class,
                () -> new FdtWriter().beginNode("").beginNode("a".repeat(32)));
        assertThrows(IllegalArgumentException.class,
                () -> new FdtWriter().beginNode("").propertyString("s", "nul\0inside"));
        assertThrows(IllegalStateException.class, () -> new FdtWriter().propertyU32("p", 1));
        FdtWriter done = new FdtWriter().beginNode("").endNode();
        done.finish();
        assertThrows(IllegalStateException.class, done::finish);
    }

    @Test
    void stringListsAreNulSeparated() throws Exception {
        byte[] blob = new FdtWriter().beginNode("")
                .propertyStrings("compatible", "arm,pl011", "arm,primecell").endNode().finish();
        FdtProperty p = FdtReader.read(blob).root().property("compatible").orElseThrow();
        assertArrayEquals("arm,pl011\0arm,primecell\0".getBytes(StandardCharsets.US_ASCII), p.value());
        assertEquals(List.of("arm,pl011", "arm,primecell"), p.strings().orElseThrow());
    }
}
