package dev.sel4sim.vmm.x86.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IoPortBusTest {
    final List<String> log = new ArrayList<>();

    private IoPortHandler recorder(String name) {
        return new IoPortHandler() {
            @Override
            public int read(int port, int size) {
                log.add(name + " in " + Integer.toHexString(port) + "/" + size);
                return 0x12345678;
            }

            @Override
            public void write(int port, int size, int value) {
                log.add(name + " out " + Integer.toHexString(port) + "/" + size + "=" + Integer.toHexString(value));
            }
        };
    }

    @Test
    void dispatchesByPortAndTruncatesToTheAccessSize() {
        IoPortBus bus = new IoPortBus();
        bus.register(0x20, 2, recorder("pic"), "pic");
        bus.register(0x3f8, 8, recorder("uart"), "uart");
        assertEquals(0x78, bus.read(0x21, 1));
        assertEquals(0x5678, bus.read(0x3ff, 2));
        bus.write(0x3f8, 1, 0x141);
        assertEquals(List.of("pic in 21/1", "uart in 3ff/2", "uart out 3f8/1=41"), log);
        assertTrue(bus.claimed(0x3fa));
        assertFalse(bus.claimed(0x400));
    }

    @Test
    void unclaimedPortsFloatHigh() {
        IoPortBus bus = new IoPortBus();
        assertEquals(0xff, bus.read(0x80, 1));
        assertEquals(0xffff, bus.read(0x80, 2));
        assertEquals(-1, bus.read(0x80, 4));
        bus.write(0x80, 1, 0x12);
    }

    @Test
    void overlappingOrOutOfRangeClaimsAreConfigurationErrors() {
        IoPortBus bus = new IoPortBus();
        bus.register(0x40, 4, recorder("pit"), "pit");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> bus.register(0x43, 1, recorder("x"), "x"));
        assertTrue(e.getMessage().contains("pit"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> bus.register(0x3e, 3, recorder("y"), "y"));
        assertThrows(IllegalArgumentException.class, () -> bus.register(0xffff, 2, recorder("z"), "z"));
        bus.register(0x44, 1, recorder("w"), "w");
        bus.register(0x3f, 1, recorder("v"), "v");
    }
}
