package dev.sel4sim.servers.net.vswitch;

import static org.junit.jupiter.api.Assertions.*;

import dev.sel4sim.servers.net.EthernetFrame;
import dev.sel4sim.servers.net.MacAddress;
import java.util.Set;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;

class SwitchCoreTest {
    static final MacAddress M0 = MacAddress.parse("02:00:00:00:00:00");
    static final MacAddress M1 = MacAddress.parse("02:00:00:00:00:01");
    static final MacAddress M2 = MacAddress.parse("02:00:00:00:00:02");
    static final MacAddress M3 = MacAddress.parse("02:00:00:00:00:03");

    static ByteString frame(MacAddress src, MacAddress dst) {
        return new EthernetFrame(dst, src, 0x88B5, ByteString.fromString("x")).toBytes();
    }

    @Test
    void floodsUnknownAndBroadcastThenForwardsLearnedUnicast() {
        SwitchCore sw = new SwitchCore(SwitchConfig.open(4));
        assertArrayEquals(new int[]{1, 2, 3}, sw.forward(0, frame(M0, M1), 0));
        assertEquals(0, sw.portOf(M0, 0));
        assertArrayEquals(new int[]{0}, sw.forward(1, frame(M1, M0), 1));
        assertArrayEquals(new int[]{1}, sw.forward(0, frame(M0, M1), 2));
        assertArrayEquals(new int[]{0, 1, 3}, sw.forward(2, frame(M2, MacAddress.BROADCAST), 3));
        assertEquals(3, sw.counters(0).rx() + sw.counters(2).rx() - 0);
        assertEquals(3, sw.learnedMacs());
    }

    @Test
    void aLearnedMacAgesOutInSimulatedTimeAndMovesWithItsStation() {
        SwitchCore sw = new SwitchCore(SwitchConfig.open(3).withAgeing(1_000));
        sw.forward(0, frame(M0, MacAddress.BROADCAST), 0);
        assertArrayEquals(new int[]{0}, sw.forward(1, frame(M1, M0), 999));
        // Not seen for the ageing time: flooded again.
        assertArrayEquals(new int[]{0, 2}, sw.forward(1, frame(M1, M0), 1_000));
        sw.forward(0, frame(M0, MacAddress.BROADCAST), 1_100);
        sw.forward(2, frame(M0, MacAddress.BROADCAST), 1_200);
        assertEquals(2, sw.portOf(M0, 1_200));
        assertArrayEquals(new int[]{2}, sw.forward(1, frame(M1, M0), 1_300));
    }

    @Test
    void aFrameForItsOwnPortIsNoRouteAndShortFramesAreMalformed() {
        SwitchCore sw = new SwitchCore(SwitchConfig.open(2));
        sw.forward(0, frame(M0, M1), 0);
        sw.forward(0, frame(M1, MacAddress.BROADCAST), 0); // M1 also behind port 0 now
        assertEquals(0, sw.forward(0, frame(M0, M1), 0).length);
        assertEquals(1, sw.counters(0).noRoute());
        assertEquals(0, sw.forward(1, ByteString.fromString("short"), 0).length);
        assertEquals(1, sw.counters(1).malformed());
        assertThrows(IllegalArgumentException.class, () -> sw.forward(2, frame(M0, M1), 0));
    }

    @Test
    void aPortAllowListRestrictsUnicastAndFloodingAndCountsDenials() {
        // Port 0 may talk to port 1 only, port 3 to MAC M0 only.
        SwitchConfig cfg = SwitchConfig.open(4)
                .withPolicy(0, PortPolicy.only(Set.of(1), Set.of()))
                .withPolicy(3, PortPolicy.only(Set.of(), Set.of(M0)));
        SwitchCore sw = new SwitchCore(cfg);
        assertArrayEquals(new int[]{1}, sw.forward(0, frame(M0, MacAddress.BROADCAST), 0));
        sw.forward(2, frame(M2, MacAddress.BROADCAST), 0);
        assertEquals(0, sw.forward(0, frame(M0, M2), 0).length);
        assertEquals(1, sw.counters(0).denied());
        // Before M0 has spoken the MAC-only port floods nowhere; afterwards it reaches M0's port.
        SwitchCore fresh = new SwitchCore(cfg);
        assertEquals(0, fresh.forward(3, frame(M3, MacAddress.BROADCAST), 0).length);
        assertEquals(1, fresh.counters(3).denied());
        fresh.forward(0, frame(M0, MacAddress.BROADCAST), 1);
        assertArrayEquals(new int[]{0}, fresh.forward(3, frame(M3, MacAddress.BROADCAST), 2));
        assertArrayEquals(new int[]{0}, fresh.forward(3, frame(M3, M0), 3));
        fresh.forward(1, frame(M1, MacAddress.BROADCAST), 4);
        assertEquals(0, fresh.forward(3, frame(M3, M1), 5).length);
        assertEquals(2, fresh.counters(3).denied());
    }

    @Test
    void aFullTableStopsLearningUntilEntriesAge() {
        SwitchConfig cfg = new SwitchConfig(2, 100, 2, 4, java.util.List.of(PortPolicy.OPEN, PortPolicy.OPEN));
        SwitchCore sw = new SwitchCore(cfg);
        sw.forward(0, frame(M0, MacAddress.BROADCAST), 0);
        sw.forward(0, frame(M1, MacAddress.BROADCAST), 0);
        sw.forward(0, frame(M2, MacAddress.BROADCAST), 50);
        assertEquals(-1, sw.portOf(M2, 50));
        sw.forward(0, frame(M2, MacAddress.BROADCAST), 100);
        assertEquals(0, sw.portOf(M2, 100));
    }

    @Test
    void configRefusesPoliciesNamingMissingPorts() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SwitchConfig.open(2).withPolicy(0, PortPolicy.only(Set.of(5), Set.of())));
        assertTrue(e.getMessage().contains("port 5"), e.getMessage());
    }
}
