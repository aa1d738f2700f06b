package dev.sel4sim.vmm.arm.dev;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Pl011Test {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final List<Boolean> line = new ArrayList<>();
    final Pl011 uart = new Pl011(out::write, line::add);

    @Test
    void transmitsAndRaisesTheTxInterruptOnlyWhenUnmasked() {
        uart.write(0, 0x000, 4, 'h');
        assertEquals("h", out.toString());
        assertEquals(List.of(), line, "TX is masked");
        assertEquals(0x20, uart.read(0, 0x03c, 4) & 0x20, "raw TX status is set");
        uart.write(0, 0x038, 4, 0x20); // IMSC: TXIM
        assertEquals(List.of(true), line);
        uart.write(0, 0x044, 4, 0x20); // ICR: clear TX
        assertEquals(List.of(true, false), line);
    }

    @Test
    void receiveFifoReportsEmptyFullAndClearsRxInterruptWhenDrained() {
        assertEquals(0x10, uart.read(0, 0x018, 4) & 0x10, "RXFE when empty");
        uart.write(0, 0x038, 4, 0x50); // RXIM | RTIM
        assertTrue(uart.receive('a'));
        assertTrue(uart.receive('b'));
        assertEquals(List.of(true), line);
        assertEquals(0, uart.read(0, 0x018, 4) & 0x10);
        assertEquals('a', uart.read(0, 0x000, 4));
        assertEquals('b', uart.read(0, 0x000, 4));
        assertEquals(List.of(true, false), line);
        for (int i = 0; i < 32; i++) {
            assertTrue(uart.receive(i));
        }
        assertFalse(uart.receive('x'), "a full FIFO refuses input instead of dropping it");
        assertEquals(0x40, uart.read(0, 0x018, 4) & 0x40, "RXFF");
    }

    @Test
    void primeCellIdentifiesAsPl011() {
        int[] expect = {0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1};
        for (int i = 0; i < 8; i++) {
            assertEquals(expect[i], uart.read(0, 0xfe0 + 4 * i, 4));
        }
    }
}
