package dev.sel4sim.vmm.x86.rtc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class Mc146818Test {
    /** 2023-11-14 22:13:20 UTC, a Tuesday. */
    static final long EPOCH = 1_700_000_000L;
    long now;
    final List<Boolean> irq = new ArrayList<>();
    final Mc146818 rtc = new Mc146818(() -> now, EPOCH, irq::add);

    private int reg(int index) {
        rtc.write(0x70, 1, index);
        return rtc.read(0x71, 1);
    }

    private void set(int index, int value) {
        rtc.write(0x70, 1, index);
        rtc.write(0x71, 1, value);
    }

    private String dateBcd() {
        return String.format("%02x%02x-%02x-%02x %02x:%02x:%02x dow %d", reg(0x32), reg(9), reg(8), reg(7), reg(4),
                reg(2), reg(0), reg(6));
    }

    @Test
    void readsTheEpochInBcdTwentyFourHourByDefault() {
        assertEquals("2023-11-14 22:13:20 dow 3", dateBcd());
        assertEquals(0x02, reg(0x0b));
        assertEquals(0x26, reg(0x0a));
        assertEquals(0x80, reg(0x0d), "valid RAM and time");
    }

    @Test
    void followsSimulatedTimeAcrossMidnight() {
        now = 6_400_000_000_000L; // 1 h 46 min 40 s later: 00:00:00 on Wednesday the 15th
        assertEquals("2023-11-15 00:00:00 dow 4", dateBcd());
        now += 1_999_999_999L;
        assertEquals(0x01, reg(0));
    }

    @Test
    void binaryAndTwelveHourFormats() {
        set(0x0b, 0x06); // binary, 24 h
        assertEquals(22, reg(4));
        assertEquals(13, reg(2));
        assertEquals(23, reg(9));
        set(0x0b, 0x00); // BCD, 12 h: 10 PM
        assertEquals(0x90, reg(4));
        set(0x0b, 0x04); // binary, 12 h
        assertEquals(0x8a, reg(4));
        now = 6_400_000_000_000L; // midnight is 12 AM
        set(0x0b, 0x00);
        assertEquals(0x12, reg(4));
    }

    @Test
    void updateInProgressCoversTheLast244MicrosecondsOfEachSecond() {
        now = 1_000_000_000L - 244_001L;
        assertEquals(0, reg(0x0a) & 0x80);
        now = 1_000_000_000L - 244_000L;
        assertEquals(0x80, reg(0x0a) & 0x80);
        now = 1_000_000_000L;
        assertEquals(0, reg(0x0a) & 0x80);
    }

    @Test
    void settingTheClockHoldsFieldsUntilSetIsCleared() {
        set(0x0b, 0x82); // SET, 24 h, BCD
        set(0x32, 0x20);
        set(0x09, 0x24);
        set(0x08, 0x02);
        set(0x07, 0x29);
        set(0x04, 0x12);
        set(0x02, 0x00);
        set(0x00, 0x00);
        now = 5_000_000_000L;
        assertEquals("2024-02-29 12:00:00 dow 3", dateBcd(), "held while SET (day of week as first read)");
        set(0x0b, 0x02);
        assertEquals(1_709_208_000L, rtc.epochSeconds());
        now += 61_000_000_000L;
        assertEquals("2024-02-29 12:01:01 dow 5", dateBcd());
    }

    @Test
    void twelveHourWritesAreUnderstood() {
        set(0x0b, 0x80); // SET, 12 h, BCD
        set(0x04, 0x81); // 1 PM
        set(0x0b, 0x02);
        assertEquals(0x13, reg(4));
    }

    @Test
    void impossibleDatesLeaveTheClockAlone() {
        set(0x0b, 0x82);
        set(0x08, 0x13); // month 13
        set(0x0b, 0x02);
        assertEquals(EPOCH, rtc.epochSeconds());
        set(0x07, 0x99); // day 99 written while running
        assertEquals(EPOCH, rtc.epochSeconds());
    }

    @Test
    void periodicInterruptAt1024HzUntilRegisterCIsRead() {
        set(0x0b, 0x42); // PIE
        assertEquals(976_563L, rtc.nextDeadlineNs(), "rate 6: 1024 Hz, 976562.5 ns rounded up");
        now = 976_562L;
        rtc.update();
        assertEquals(List.of(), irq);
        now = 976_563L;
        rtc.update();
        assertEquals(List.of(true), irq);
        assertEquals(0xc0, reg(0x0c));
        assertEquals(List.of(true, false), irq);
        assertEquals(0x00, reg(0x0c));
    }

    @Test
    void periodicFlagIsSetEvenWhenTheInterruptIsOff() {
        now = 2_000_000L;
        rtc.update();
        assertEquals(0x40, reg(0x0c) & 0x50, "PF at 1024 Hz, UF not yet");
        assertEquals(List.of(), irq);
    }

    @Test
    void updateEndedAndAlarmInterrupts() {
        set(0x0b, 0x12); // UIE
        assertEquals(1_000_000_000L, rtc.nextDeadlineNs());
        now = 1_000_000_000L;
        rtc.update();
        assertEquals(0x90, reg(0x0c) & 0xb0);
        set(0x0b, 0x22); // AIE only
        set(0x01, 0x25); // alarm at any hour, minute 13, second 25
        set(0x03, 0x13);
        set(0x05, 0xc0);
        now = 4_000_000_000L; // 22:13:24
        rtc.update();
        assertEquals(0, reg(0x0c) & 0x20);
        now = 5_000_000_000L; // 22:13:25
        rtc.update();
        assertEquals(0xa0, reg(0x0c) & 0xa0);
    }

    @Test
    void cmosRamKeepsBytesAndIndexKeepsTheNmiBit() {
        set(0x40, 0x5a);
        rtc.setCmos(0x34, 0x7f);
        assertEquals(0x5a, reg(0x40));
        assertEquals(0x7f, reg(0x34));
        rtc.write(0x70, 1, 0x8f);
        assertEquals(0x8f, rtc.read(0x70, 1));
    }
}
