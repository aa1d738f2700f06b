package dev.sel4sim.boards;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SizesTest {

    @Test
    void numbersInHexAndDecimal() {
        assertEquals(0x0800_0000L, Sizes.parseNumber("0x8000000"));
        assertEquals(0x8_0000_0000L, Sizes.parseNumber("0x800000000"));
        assertEquals(0xffc0_1000L, Sizes.parseNumber("0xFFC01000"));
        assertEquals(33, Sizes.parseNumber("33"));
        assertEquals(0x4000_0000L, Sizes.parseNumber("0x4000_0000"));
    }

    @Test
    void sizesWithBinarySuffixes() {
        assertEquals(1L << 30, Sizes.parseSize("1G"));
        assertEquals(256L << 20, Sizes.parseSize("256M"));
        assertEquals(4096, Sizes.parseSize("4K"));
        assertEquals(1L << 30, Sizes.parseSize("1GiB"));
        assertEquals(2L << 40, Sizes.parseSize("2T"));
        assertEquals(0x10000, Sizes.parseSize("0x10000"));
        assertEquals(4096, Sizes.parseSize("4096"));
    }

    @Test
    void rejectsGarbageAndAmbiguousUnits() {
        assertThrows(IllegalArgumentException.class, () -> Sizes.parseNumber("0x"));
        assertThrows(IllegalArgumentException.class, () -> Sizes.parseNumber("12abc"));
        assertThrows(IllegalArgumentException.class, () -> Sizes.parseNumber("-1"));
        assertThrows(IllegalArgumentException.class, () -> Sizes.parseSize("1Q"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sizes.parseSize("1GB"));
        assertTrue(e.getMessage().contains("ambiguous"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Sizes.parseSize("99999999999T"));
    }

    @Test
    void hexFormatting() {
        assertEquals("0x9000000", Sizes.hex(0x0900_0000L));
    }
}
