package dev.sel4sim.vmm.x86.uart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sel4sim.vmm.x86.dev.TimedDevice;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class Uart16550Test {
    static final int B = 0x3f8;
    long now;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final List<Boolean> irq = new ArrayList<>();
    final Uart16550 uart = new Uart16550(B, () -> now, out::write, irq::add);

    @Test
    void transmitsBytesAndProgramsTheDivisorBehindDlab() {
        uart.write(B + 3, 1, 0x83); // DLAB, 8N1
        uart.write(B, 1, 0x01);
        uart.write(B + 1, 1, 0x00);
        assertEquals(0x01, uart.read(B, 1));
        assertEquals(0x00, uart.read(B + 1, 1));
        uart.write(B + 3, 1, 0x03);
        uart.write(B, 1, 'o');
        uart.write(B, 1, 'k');
        assertEquals("ok", out.toString());
        assertEquals(0x60, uart.read(B + 5, 1), "THR and transmitter always empty");
        assertEquals(0x00, uart.read(B + 1, 1), "IER untouched by the divisor writes");
    }

    @Test
    void receivedDataRaisesTheInterruptOnlyWithOut2() {
        uart.write(B + 1, 1, 0x01); // ERBFI
        assertTrue(uart.receive('a'));
        assertEquals(0x04, uart.read(B + 2, 1), "IIR: received data");
        assertEquals(List.of(), irq, "OUT2 clear: the PC's interrupt gate is shut");
        uart.write(B + 4, 1, 0x0b); // DTR, RTS, OUT2
        assertEquals(List.of(true), irq);
        assertEquals(0x01, uart.read(B + 5, 1) & 0x01);
        assertEquals('a', uart.read(B, 1));
        assertEquals(List.of(true, false), irq);
        assertEquals(0x01, uart.read(B + 2, 1), "nothing pending");
    }

    @Test
    void withoutFifosOneByteIsAllThereIsRoomFor() {
        assertTrue(uart.receive('x'));
        assertFalse(uart.receive('y'), "refused, not dropped");
        assertEquals(0, uart.receiveSpace());
        assertEquals('x', uart.read(B, 1));
        assertTrue(uart.receive('y'));
    }

    @Test
    void fifoTriggerLevelAndCharacterTimeout() {
        uart.write(B + 3, 1, 0x83);
        uart.write(B, 1, 0x01); // 115200 baud
        uart.write(B + 3, 1, 0x03); // 8N1: 10 bits a character
        uart.write(B + 2, 1, 0xc7); // FIFO on, cleared, trigger 14
        uart.write(B + 4, 1, 0x08);
        uart.write(B + 1, 1, 0x01);
        assertEquals(0xc1, uart.read(B + 2, 1), "FIFOs enabled: a 16550A");
        now = 1_000;
        for (int i = 0; i < 3; i++) {
            assertTrue(uart.receive('0' + i));
        }
        assertEquals(List.of(), irq, "below the trigger level");
        long timeout = 4L * 10 * 1_000_000_000L / 115_200;
        assertEquals(1_000 + timeout, uart.nextDeadlineNs());
        now = 1_000 + timeout - 1;
        uart.update();
        assertEquals(List.of(), irq);
        now = 1_000 + timeout;
        uart.update();
        assertEquals(List.of(true), irq);
        assertEquals(0xcc, uart.read(B + 2, 1), "character timeout");
        for (int i = 0; i < 3; i++) {
            assertEquals('0' + i, uart.read(B, 1));
        }
        assertEquals(List.of(true, false), irq);
        assertEquals(TimedDevice.NO_DEADLINE, uart.nextDeadlineNs());

        for (int i = 0; i < 14; i++) {
            assertTrue(uart.receive(i));
        }
        assertEquals(0xc4, uart.read(B + 2, 1), "trigger level reached: received data at once");
        assertEquals(2, uart.receiveSpace());
    }

    @Test
    void transmitterEmptyInterruptIsClearedByReadingIirAndRaisedByWritingThr() {
        uart.write(B + 4, 1, 0x08);
        uart.write(B + 1, 1, 0x02); // ETBEI while empty
        assertEquals(List.of(true), irq);
        assertEquals(0x02, uart.read(B + 2, 1));
        assertEquals(List.of(true, false), irq);
        assertEquals(0x01, uart.read(B + 2, 1));
        uart.write(B, 1, 'z');
        assertEquals(List.of(true, false, true), irq);
    }

    @Test
    void receivedDataOutranksTransmitterEmpty() {
        uart.write(B + 4, 1, 0x08);
        uart.write(B + 1, 1, 0x03);
        uart.receive('q');
        assertEquals(0x04, uart.read(B + 2, 1));
        uart.read(B, 1);
        assertEquals(0x02, uart.read(B + 2, 1));
    }

    @Test
    void loopbackMirrorsModemLinesAndReturnsTransmittedBytes() {
        uart.write(B + 4, 1, 0x1a); // LOOP, OUT2, RTS: Linux's probe expects CTS and DCD
        assertEquals(0x90, uart.read(B + 6, 1) & 0xf0);
        uart.write(B, 1, 0x55);
        assertEquals("", out.toString(), "nothing leaves in loopback");
        assertEquals(0x55, uart.read(B, 1));
        uart.write(B + 4, 1, 0x00);
        assertEquals(0xb0, uart.read(B + 6, 1) & 0xf0, "a connected terminal again");
    }

    @Test
    void modemStatusDeltasInLoopback() {
        uart.write(B + 4, 1, 0x10);
        uart.read(B + 6, 1);
        uart.write(B + 4, 1, 0x13); // DTR and RTS rise: DSR and CTS change
        assertEquals(0x30 | 0x03, uart.read(B + 6, 1));
        assertEquals(0x30, uart.read(B + 6, 1), "deltas clear on read");
    }

    @Test
    void scratchRegisterAndUnknownOffsets() {
        uart.write(B + 7, 1, 0xa5);
        assertEquals(0xa5, uart.read(B + 7, 1));
        assertEquals(0xff, uart.read(B + 8, 1));
        uart.write(B + 9, 1, 1);
    }
}
