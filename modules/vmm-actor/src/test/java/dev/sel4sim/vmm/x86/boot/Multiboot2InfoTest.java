package dev.sel4sim.vmm.x86.boot;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The boot information read back as a kernel reads it: tag by tag, each at the next 8-byte boundary. */
class Multiboot2InfoTest {
    /** A tag as found: its type and its bytes after the 8-byte type and size. */
    record Tag(int type, int size, ByteBuffer fields) {
        String string(int from) {
            byte[] b = new byte[size - 8 - from];
            fields.get(from, b);
            assertEquals(0, b[b.length - 1], "strings end in NUL");
            return new String(b, 0, b.length - 1, StandardCharsets.UTF_8);
        }
    }

    /** Walks the tags, checking what every kernel relies on: alignment, sizes, the end tag, total_size. */
    static List<Tag> parse(byte[] info) {
        ByteBuffer b = ByteBuffer.wrap(info).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(info.length, b.getInt(0), "total_size");
        assertEquals(0, b.getInt(4), "reserved");
        List<Tag> tags = new ArrayList<>();
        int at = 8;
        while (true) {
            assertEquals(0, at % 8, "tag at " + at + " is 8-byte aligned");
            int type = b.getInt(at);
            int size = b.getInt(at + 4);
            assertTrue(size >= 8 && at + size <= info.length, "tag " + type + " of size " + size + " at " + at);
            if (type == Multiboot2Info.TAG_END) {
                assertEquals(8, size, "end tag size");
                assertEquals(info.length, at + 8, "the end tag is last");
                return tags;
            }
            tags.add(new Tag(type, size, b.slice(at + 8, size - 8).order(ByteOrder.LITTLE_ENDIAN)));
            at += (size + 7) & ~7;
        }
    }

    static Tag only(List<Tag> tags, int type) {
        List<Tag> of = tags.stream().filter(t -> t.type() == type).toList();
        assertEquals(1, of.size(), "tags of type " + type);
        return of.getFirst();
    }

    @Test
    void whatTheBuilderWroteReadsBack() {
        MultibootConfig config = new MultibootConfig("root=/dev/x quiet é", 639, 31 * 1024, List.of(), "sel4sim-test");
        List<MultibootInfo.PlacedModule> modules = List.of(new MultibootInfo.PlacedModule(0x104000, 0x104003, "first arg"),
                new MultibootInfo.PlacedModule(0x105000, 0x105000 + 5000, ""));
        List<Tag> tags = parse(Multiboot2Info.build(config, modules));

        assertEquals(Multiboot2Info.TAG_CMDLINE, tags.getFirst().type(), "the command line comes first");
        assertEquals("root=/dev/x quiet é", only(tags, Multiboot2Info.TAG_CMDLINE).string(0));
        assertEquals("sel4sim-test", only(tags, Multiboot2Info.TAG_BOOT_LOADER_NAME).string(0));

        List<Tag> mods = tags.stream().filter(t -> t.type() == Multiboot2Info.TAG_MODULE).toList();
        assertEquals(2, mods.size());
        assertEquals(0x104000, mods.get(0).fields().getInt(0));
        assertEquals(0x104003, mods.get(0).fields().getInt(4));
        assertEquals("first arg", mods.get(0).string(8));
        assertEquals(0x105000, mods.get(1).fields().getInt(0));
        assertEquals(0x105000 + 5000, mods.get(1).fields().getInt(4));
        assertEquals("", mods.get(1).string(8));

        Tag mem = only(tags, Multiboot2Info.TAG_BASIC_MEMINFO);
        assertEquals(16, mem.size());
        assertEquals(639, mem.fields().getInt(0));
        assertEquals(31 * 1024, mem.fields().getInt(4));

        Tag mmap = only(tags, Multiboot2Info.TAG_MMAP);
        assertEquals(24, mmap.fields().getInt(0), "entry_size");
        assertEquals(0, mmap.fields().getInt(4), "entry_version");
        assertEquals(16 + 3 * 24, mmap.size());
        long[][] expected = {{0, 639 * 1024, 1}, {639 * 1024, 0x100000 - 639 * 1024, 2}, {0x100000, 31L << 20, 1}};
        for (int i = 0; i < expected.length; i++) {
            ByteBuffer e = mmap.fields().slice(8 + 24 * i, 24).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(expected[i][0], e.getLong(0), "entry " + i + " base_addr");
            assertEquals(expected[i][1], e.getLong(8), "entry " + i + " length");
            assertEquals(expected[i][2], e.getInt(16), "entry " + i + " type");
            assertEquals(0, e.getInt(20), "entry " + i + " reserved");
        }

        Tag fb = only(tags, Multiboot2Info.TAG_FRAMEBUFFER);
        assertEquals(0xb8000, fb.fields().getLong(0));
        assertEquals(160, fb.fields().getInt(8), "pitch");
        assertEquals(80, fb.fields().getInt(12), "width in characters");
        assertEquals(25, fb.fields().getInt(16), "height in characters");
        assertEquals(16, fb.fields().get(20), "bpp");
        assertEquals(Multiboot2Info.FRAMEBUFFER_TYPE_EGA_TEXT, fb.fields().get(21));
    }

    @Test
    void withoutModulesThereIsNoModuleTagAndStringsPadToEightBytes() {
        byte[] info = Multiboot2Info.build(new MultibootConfig("", 640, 1024, List.of(), "x"), List.of());
        List<Tag> tags = parse(info);
        assertTrue(tags.stream().noneMatch(t -> t.type() == Multiboot2Info.TAG_MODULE));
        Tag cmdline = only(tags, Multiboot2Info.TAG_CMDLINE);
        assertEquals(9, cmdline.size(), "the size counts the NUL but not the padding");
        assertEquals("", cmdline.string(0));
        assertEquals(0, info.length % 8);
        assertEquals(List.of(1, 2, 4, 6, 8), tags.stream().map(Tag::type).toList());
        assertTrue(Arrays.equals(new byte[] {8, 0, 0, 0}, Arrays.copyOfRange(info, info.length - 4, info.length)));
    }
}
