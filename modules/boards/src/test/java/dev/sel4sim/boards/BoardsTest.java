package dev.sel4sim.boards;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BoardsTest {

    static final List<String> EXPECTED = List.of("exynos5422", "imx8mq-evk", "maaxboard", "odroidc4", "pc99",
            "qemu-arm-virt", "rpi4", "tk1", "tx1", "tx2", "ultra96", "zcu102");

    static Stream<String> ids() {
        return Boards.ids().stream();
    }

    @Test
    void idsAreSortedAndComplete() {
        List<String> ids = Boards.ids();
        List<String> sorted = new ArrayList<>(ids);
        sorted.sort(null);
        assertEquals(sorted, ids);
        assertEquals(EXPECTED, ids);
        assertThrows(UnsupportedOperationException.class, () -> ids.add("x"));
    }

    @ParameterizedTest
    @MethodSource("ids")
    void everyBoardLoadsOnceAndIsConsistent(String id) {
        Board board = Boards.load(id);
        assertEquals(board, Boards.load(id), "parsing is deterministic");
        assertEquals(id, board.id());
        assertFalse(board.sources().isEmpty(), "a board names its sources");
        assertTrue(board.consoleUart().console());
        assertTrue(board.ramSize() > 0);

        for (int i = 1; i < board.memory().size(); i++) {
            assertTrue(board.memory().get(i - 1).end() <= board.memory().get(i).base(), "sorted, disjoint RAM");
        }
        for (Uart uart : board.uarts()) {
            assertTrue(uart.irq() < board.physicalIrqCount(), uart.name());
            if (uart.space() == AddressSpace.MMIO) {
                board.memory().forEach(r -> assertFalse(r.overlaps(uart.region()), uart.name() + " vs RAM"));
            }
        }
        for (PassthroughDevice d : board.passthrough()) {
            d.irqs().forEach(irq -> assertTrue(irq < board.physicalIrqCount(), d.name()));
        }

        switch (board.interruptController()) {
            case Gic gic -> {
                assertTrue(board.architecture().isArm());
                assertEquals(25, gic.maintenanceIrq(), "maintenance interrupt is PPI 9");
                assertTrue(board.timer() instanceof GenericTimer);
                assertEquals(Stage2.Kind.ARM_STAGE2, board.stage2().kind());
            }
            case Apic apic -> {
                assertEquals(Architecture.X86_64, board.architecture());
                assertEquals(board.physicalIrqCount(), apic.ioapicLines());
                assertTrue(board.timer() instanceof X86Timers);
                assertEquals(Stage2.Kind.X86_EPT, board.stage2().kind());
            }
        }
        if (board.timer() instanceof GenericTimer t) {
            assertEquals(29, t.securePhysIntid());
            assertEquals(30, t.nonSecurePhysIntid());
            assertEquals(27, t.virtualIntid());
            assertEquals(26, t.hypIntid());
        }
    }

    @ParameterizedTest
    @MethodSource("ids")
    void physicalAddressBitsFollowTheCpuModel(String id) {
        Board board = Boards.load(id);
        int expected = switch (board.cpu().model()) {
            case "cortex-a53", "cortex-a55", "cortex-a15" -> 40;
            case "cortex-a57", "cortex-a72" -> 44;
            default -> 48;
        };
        assertEquals(expected, board.stage2().paBits(), id);
        assertEquals(expected == 40 ? 3 : 4, board.stage2().levels(), id);
    }

    @Test
    void allReturnsEveryBoardInOrder() {
        assertEquals(Boards.ids(), Boards.all().stream().map(Board::id).toList());
    }

    @Test
    void unknownBoardNamesTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Boards.load("nope"));
        assertTrue(e.getMessage().contains("zcu102"), e.getMessage());
    }

    @Test
    void recordsAreImmutable() {
        Board board = Boards.load("tx2");
        assertThrows(UnsupportedOperationException.class, () -> board.memory().clear());
        assertThrows(UnsupportedOperationException.class, () -> board.uarts().clear());
        assertThrows(UnsupportedOperationException.class, () -> board.cpu().clusters().clear());
        assertThrows(UnsupportedOperationException.class, () -> board.passthrough().get(0).irqs().clear());
    }
}
