package dev.sel4sim.vmm.boot.fdt;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class FdtReaderTest {

    static FdtTree sampleTree() {
        FdtNode cpu0 = FdtNode.of("cpu@0", FdtProperty.string("device_type", "cpu"), FdtProperty.u32("reg", 0));
        FdtNode cpu1 = FdtNode.of("cpu@1", FdtProperty.string("device_type", "cpu"), FdtProperty.u32("reg", 1));
        FdtNode cpus = new FdtNode("cpus",
                List.of(FdtProperty.u32("#address-cells", 1), FdtProperty.u32("#size-cells", 0)),
                List.of(cpu0, cpu1));
        FdtNode gic = FdtNode.of("intc@8000000",
                FdtProperty.strings("compatible", "arm,cortex-a15-gic"),
                FdtProperty.empty("interrupt-controller"),
                FdtProperty.u32("#interrupt-cells", 3),
                FdtProperty.u32("phandle", 1));
        FdtNode odd = FdtNode.of("odd", new FdtProperty("bytes", new byte[] {1, 2, 3}),
                FdtProperty.u64("big", 0x1234_5678_9abc_def0L));
        FdtNode root = new FdtNode("",
                List.of(FdtProperty.u32("#address-cells", 2), FdtProperty.u32("#size-cells", 2),
                        FdtProperty.strings("compatible", "linux,dummy-virt"), FdtProperty.u32("interrupt-parent", 1)),
                List.of(cpus, gic, odd));
        return new FdtTree(List.of(new FdtReservation(0x4800_0000L, 0x10_0000L)), 1, root);
    }

    @Test
    void roundTripGivesTheSameTree() throws Exception {
        FdtTree tree = sampleTree();
        byte[] blob = FdtWriter.write(tree);
        FdtTree back = FdtReader.read(blob);
        assertEquals(tree, back);
        assertArrayEquals(blob, FdtWriter.write(back), "writing the parsed tree gives the same bytes");
    }

    @Test
    void typedViewsAnswerEmptyForTheWrongShape() throws Exception {
        FdtNode root = FdtReader.read(FdtWriter.write(sampleTree())).root();
        FdtNode odd = root.find("/odd").orElseThrow();
        assertTrue(odd.property("bytes").orElseThrow().cells().isEmpty());
        assertTrue(odd.property("bytes").orElseThrow().u32().isEmpty());
        assertTrue(odd.property("bytes").orElseThrow().strings().isEmpty());
        assertEquals(0x1234_5678_9abc_def0L, odd.property("big").orElseThrow().u64().getAsLong());
        assertTrue(root.find("/cpus/cpu@2").isEmpty());
        assertEquals(1, root.find("/cpus/cpu@1").orElseThrow().property("reg").orElseThrow().u32().getAsInt());
        assertEquals("cpu", root.find("cpus/cpu@0").orElseThrow().property("device_type").orElseThrow()
                .string().orElseThrow());
    }

    /** dtc is an independent writer: its blob of a hand-written source must parse to the same values. */
    @Test
    void readsWhatDtcWrites() throws Exception {
        Dtc.assumeInstalled();
        String dts = """
                /dts-v1/;
                /memreserve/ 0x48000000 0x100000;
                / {
                    #address-cells = <2>;
                    #size-cells = <2>;
                    model = "sel4sim";
                    gic: intc@8000000 {
                        interrupt-controller;
                        #interrupt-cells = <3>;
                        reg = <0x0 0x8000000 0x0 0x10000>;
                    };
                    serial@9000000 {
                        compatible = "arm,pl011", "arm,primecell";
                        interrupts = <0 1 4>;
                        interrupt-parent = <&gic>;
                        reg = <0x0 0x9000000 0x0 0x1000>;
                    };
                };
                """;
        Dtc.Result r = Dtc.run(dts.getBytes(StandardCharsets.US_ASCII), "dts", "dtb");
        assertEquals(0, r.exitCode(), r.stderr());
        FdtTree tree = FdtReader.read(r.stdout());
        assertEquals(List.of(new FdtReservation(0x4800_0000L, 0x10_0000L)), tree.reservations());
        FdtNode serial = tree.root().find("/serial@9000000").orElseThrow();
        assertEquals(List.of("arm,pl011", "arm,primecell"), serial.property("compatible").orElseThrow()
                .strings().orElseThrow());
        assertArrayEquals(new int[] {0, 1, 4}, serial.property("interrupts").orElseThrow().cells().orElseThrow());
        int gicPhandle = tree.root().find("/intc@8000000").orElseThrow().property("phandle").orElseThrow()
                .u32().getAsInt();
        assertEquals(gicPhandle, serial.property("interrupt-parent").orElseThrow().u32().getAsInt());
        assertEquals(0, tree.root().find("/intc@8000000").orElseThrow().property("interrupt-controller")
                .orElseThrow().length());
    }

    /** Our blob decompiles cleanly, and our DTS text compiles back to the same tree. */
    @Test
    void dtcAgreesWithOurBlobAndOurSource() throws Exception {
        Dtc.assumeInstalled();
        FdtTree tree = sampleTree();
        Dtc.Result decompiled = Dtc.run(FdtWriter.write(tree), "dtb", "dts");
        assertEquals(0, decompiled.exitCode(), decompiled.stderr());
        assertTrue(decompiled.text().contains("compatible = \"linux,dummy-virt\";"), decompiled.text());
        assertTrue(decompiled.text().contains("/memreserve/\t0x0000000048000000 0x0000000000100000;"),
                decompiled.text());

        Dtc.Result compiled = Dtc.run(tree.toDts().getBytes(StandardCharsets.US_ASCII), "dts", "dtb");
        assertEquals(0, compiled.exitCode(), compiled.stderr() + "\n" + tree.toDts());
        FdtTree back = FdtReader.read(compiled.stdout());
        assertEquals(tree.root(), back.root());
        assertEquals(tree.reservations(), back.reservations());
    }

    @Test
    void dtsTextShowsEachValueInItsShape() {
        String dts = sampleTree().toDts();
        assertTrue(dts.startsWith("/dts-v1/;\n"), dts);
        assertTrue(dts.contains("/memreserve/ 0x48000000 0x100000;"), dts);
        assertTrue(dts.contains("\tcompatible = \"linux,dummy-virt\";"), dts);
        assertTrue(dts.contains("\t#address-cells = <0x2>;"), dts);
        assertTrue(dts.contains("\t\tinterrupt-controller;"), dts);
        assertTrue(dts.contains("\t\tbytes = [01 02 03];"), dts);
        assertTrue(dts.contains("\t\tbig = <0x12345678 0x9abcdef0>;"), dts);
        assertTrue(dts.contains("\tcpus {\n"), dts);
    }

    @Test
    void malformedHeadersAreNamed() {
        byte[] good = FdtWriter.write(sampleTree());
        assertMessage(new byte[10], "too short");
        byte[] badMagic = good.clone();
        badMagic[0] = 0x12;
        assertMessage(badMagic, "magic 0x12");
        assertMessage(Arrays.copyOf(good, good.length - 1), "truncated");
        byte[] oldVersion = good.clone();
        ByteBuffer.wrap(oldVersion).putInt(20, 3);
        assertMessage(oldVersion, "version 3");
        byte[] badStruct = good.clone();
        ByteBuffer.wrap(badStruct).putInt(8, 0x7fff_fff0);
        assertMessage(badStruct, "structure block");
        byte[] unaligned = good.clone();
        ByteBuffer.wrap(unaligned).putInt(16, 44);
        assertMessage(unaligned, "not 8-byte aligned");
    }

    @Test
    void malformedStructureIsNamed() {
        byte[] good = FdtWriter.write(sampleTree());
        ByteBuffer b = ByteBuffer.wrap(good);
        int offStruct = b.getInt(8);
        byte[] badToken = good.clone();
        ByteBuffer.wrap(badToken).putInt(offStruct, 7);
        assertMessage(badToken, "unknown structure token 0x7");
        byte[] noEnd = good.clone();
        ByteBuffer.wrap(noEnd).putInt(offStruct + b.getInt(36) - 4, FdtFormat.FDT_NOP);
        assertMessage(noEnd, "missing FDT_END");
        byte[] badName = good.clone();
        // the first property of the root: token, length, name offset at offStruct + 8
        ByteBuffer.wrap(badName).putInt(offStruct + 16, 0x10000);
        assertMessage(badName, "outside the strings block");
        byte[] longValue = good.clone();
        ByteBuffer.wrap(longValue).putInt(offStruct + 12, 0x7fff_ffff);
        assertMessage(longValue, "runs past");
    }

    /** Truncations and word corruptions of a valid blob give FdtFormatException or a tree, nothing else. */
    @Test
    void corruptedBlobsNeverEscapeAsOtherExceptions() {
        byte[] good = FdtWriter.write(sampleTree());
        for (int length = 0; length < good.length; length++) {
            byte[] cut = Arrays.copyOf(good, length);
            assertThrows(FdtFormatException.class, () -> FdtReader.read(cut), "cut at " + length);
        }
        int[] values = {0, 1, 2, 3, 4, 9, -1, 0x7fff_ffff, 0x8000_0000, 0x1000, 0xd00dfeed, good.length};
        for (int at = 0; at + 4 <= good.length; at += 4) {
            for (int v : values) {
                byte[] bad = good.clone();
                ByteBuffer.wrap(bad).putInt(at, v);
                readOrFormatError(bad, "word " + at + " = " + v);
            }
        }
        Random random = new Random(42);
        for (int i = 0; i < 5000; i++) {
            byte[] bad = good.clone();
            int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++) {
                bad[random.nextInt(bad.length)] = (byte) random.nextInt(256);
            }
            readOrFormatError(bad, "random corruption " + i);
        }
    }

    @Test
    void deepNestingIsRefusedNotOverflowed() {
        FdtWriter w = new FdtWriter().beginNode("");
        for (int i = 0; i < 63; i++) {
            w.beginNode("n");
        }
        assertThrows(IllegalStateException.class, () -> w.beginNode("n"));
    }

    private static void readOrFormatError(byte[] blob, String what) {
        try {
            FdtTree tree = FdtReader.read(blob);
            assertFalse(tree.toDts().isEmpty());
        } catch (FdtFormatException expected) {
            assertFalse(expected.getMessage().isBlank());
        } catch (RuntimeException e) {
            fail(what + ": " + e, e);
        }
    }

    private static void assertMessage(byte[] blob, String fragment) {
        FdtFormatException e = assertThrows(FdtFormatException.class, () -> FdtReader.read(blob));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
}
