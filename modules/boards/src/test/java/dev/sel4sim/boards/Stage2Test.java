package dev.sel4sim.boards;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class Stage2Test {

    @Test
    void fortyBitsIsThreeLevelsFromLevelOneWithTwoConcatenatedTables() {
        Stage2 s = Stage2.arm(40);
        assertEquals(3, s.levels());
        assertEquals(1, s.startLevel());
        assertEquals(2, s.concatenatedTables());
        assertEquals(1L << 40, s.addressSpaceSize());
    }

    @Test
    void fortyFourAndFortyEightBitsAreFourLevels() {
        assertEquals(4, Stage2.arm(44).levels());
        assertEquals(0, Stage2.arm(44).startLevel());
        assertEquals(4, Stage2.arm(48).levels());
        assertEquals(1, Stage2.arm(48).concatenatedTables());
    }

    @Test
    void thirtyTwoBitsNeedsNoConcatenation() {
        assertEquals(3, Stage2.arm(32).levels());
        assertEquals(1, Stage2.arm(32).concatenatedTables());
    }

    @Test
    void eptIsFourLevels() {
        assertEquals(4, Stage2.ept().levels());
        assertEquals(Stage2.Kind.X86_EPT, Stage2.ept().kind());
    }

    @Test
    void rejectsImpossibleWidths() {
        assertThrows(IllegalArgumentException.class, () -> Stage2.arm(52));
        assertThrows(IllegalArgumentException.class, () -> Stage2.arm(31));
    }
}
