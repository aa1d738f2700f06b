package dev.sel4sim.vmm.arm.psci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sel4sim.boards.Boards;
import dev.sel4sim.boards.SmcFunction;
import dev.sel4sim.boards.SmcMode;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmcPolicyTest {

    private static final int SOC_INFO = 0xC200_0006;
    private static final int OTHER = 0xC200_0007;

    @Test
    void denyRefusesEvenListedCalls() {
        SmcPolicy p = SmcPolicy.of(SmcPolicy.Mode.DENY, List.of(SmcPolicy.Rule.forward(SOC_INFO)));
        assertEquals(SmcDecision.DENY, p.decide(SOC_INFO));
        assertEquals(SmcDecision.DENY, SmcPolicy.denyAll().decide(OTHER));
        assertEquals(-1L, SmcDecision.Deny.X0);
    }

    @Test
    void emulateAnswersListedCallsWithTheirValues() {
        SmcValues v = new SmcValues(0, 0x8000_0040L, 3, 4);
        SmcPolicy p = SmcPolicy.of(SmcPolicy.Mode.EMULATE, List.of(SmcPolicy.Rule.answer(SOC_INFO, v)));
        assertEquals(new SmcDecision.Handle(v), p.decide(SOC_INFO));
        assertEquals(SmcDecision.DENY, p.decide(OTHER));
        assertThrows(IllegalArgumentException.class,
                () -> SmcPolicy.of(SmcPolicy.Mode.EMULATE, List.of(SmcPolicy.Rule.forward(SOC_INFO))));
    }

    @Test
    void allowForwardsListedCallsOrAnswersThem() {
        SmcPolicy p = SmcPolicy.of(SmcPolicy.Mode.ALLOW, List.of(SmcPolicy.Rule.forward(SOC_INFO),
                SmcPolicy.Rule.answer(OTHER, SmcValues.of(-1))));
        assertEquals(SmcDecision.FORWARD, p.decide(SOC_INFO));
        assertEquals(new SmcDecision.Handle(SmcValues.of(-1)), p.decide(OTHER));
        assertEquals(SmcDecision.DENY, p.decide(0xC200_0008));
    }

    @Test
    void duplicateRulesAreAnError() {
        assertThrows(IllegalArgumentException.class, () -> SmcPolicy.of(SmcPolicy.Mode.ALLOW,
                List.of(SmcPolicy.Rule.forward(SOC_INFO), SmcPolicy.Rule.forward(SOC_INFO))));
    }

    @Test
    void gateReportsEachIdOnce() {
        SmcGate gate = new SmcGate(SmcPolicy.denyAll());
        assertTrue(gate.decide(SOC_INFO).firstTime());
        assertFalse(gate.decide(SOC_INFO).firstTime());
        SmcGate.Outcome other = gate.decide(OTHER);
        assertTrue(other.firstTime());
        assertEquals(SmcDecision.DENY, other.decision());
        assertEquals(List.of(SOC_INFO, OTHER), gate.seenIds());
    }

    @Test
    void gateMemoryIsBounded() {
        SmcGate gate = new SmcGate(SmcPolicy.denyAll());
        for (int i = 0; i < SmcGate.MAX_REMEMBERED; i++) {
            assertTrue(gate.decide(0xC200_0000 + i).firstTime());
        }
        assertTrue(gate.saturated());
        assertFalse(gate.decide(0xC300_0000).firstTime());
        assertEquals(SmcGate.MAX_REMEMBERED, gate.seenIds().size());
    }

    @Test
    void boardDefaults() {
        SmcPolicy imx = SmcPolicy.fromBoard(Boards.load("imx8mq-evk").smc());
        assertEquals(SmcPolicy.Mode.ALLOW, imx.mode());
        assertEquals(SmcDecision.FORWARD, imx.decide(SOC_INFO));
        assertEquals(SmcDecision.DENY, imx.decide(OTHER));
        assertEquals(SmcPolicy.Mode.DENY, SmcPolicy.fromBoard(Boards.load("qemu-arm-virt").smc()).mode());
        SmcPolicy emulated = SmcPolicy.fromBoard(new dev.sel4sim.boards.SmcPolicy(SmcMode.EMULATE,
                List.of(new SmcFunction(0xC200_0006L, "IMX_SIP_GET_SOC_INFO", ""))));
        assertEquals(new SmcDecision.Handle(SmcValues.of(0)), emulated.decide(SOC_INFO));
    }
}
