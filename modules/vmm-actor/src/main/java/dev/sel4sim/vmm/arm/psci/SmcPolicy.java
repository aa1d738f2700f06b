package dev.sel4sim.vmm.arm.psci;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A VM's policy for the SMCs and HVCs that PSCI does not answer, as parsed from its configuration (or a
 * board's default). Decisions are pure; {@link SmcGate} adds the memory of which IDs were already seen.
 *
 * <ul>
 *   <li>{@link Mode#DENY}: every call gets NOT_SUPPORTED (seL4's default: KernelAllowSMCCalls off).</li>
 *   <li>{@link Mode#EMULATE}: listed IDs are answered with their fixed values; the rest are denied.</li>
 *   <li>{@link Mode#ALLOW}: listed IDs are forwarded, or answered when the entry has values; the rest are
 *       denied.</li>
 * </ul>
 *
 * @param mode  the treatment
 * @param rules the listed function IDs, by ID
 */
public record SmcPolicy(Mode mode, Map<Integer, Rule> rules) {

    /** How calls are treated. */
    public enum Mode {
        DENY, EMULATE, ALLOW
    }

    /**
     * One listed function ID.
     *
     * @param functionId the 32-bit function ID
     * @param answer     fixed return values, or empty to forward (only under {@link Mode#ALLOW})
     */
    public record Rule(int functionId, Optional<SmcValues> answer) {

        /** Checks the answer is present (possibly empty). */
        public Rule {
            Objects.requireNonNull(answer, "answer");
        }

        /** @return a rule that forwards the call */
        public static Rule forward(int functionId) {
            return new Rule(functionId, Optional.empty());
        }

        /** @return a rule that answers the call */
        public static Rule answer(int functionId, SmcValues values) {
            return new Rule(functionId, Optional.of(values));
        }
    }

    /** Checks that the keys match the rules and that emulated calls have answers; copies the map. */
    public SmcPolicy {
        Objects.requireNonNull(mode, "mode");
        rules = Map.copyOf(rules);
        rules.forEach((id, rule) -> {
            if (id != rule.functionId()) {
                throw new IllegalArgumentException(String.format("rule for 0x%08x filed under 0x%08x",
                        rule.functionId(), id));
            }
            if (mode == Mode.EMULATE && rule.answer().isEmpty()) {
                throw new IllegalArgumentException(String.format(
                        "SMC 0x%08x: an emulated call needs return values", id));
            }
        });
    }

    /**
     * @param mode  the treatment
     * @param rules the listed function IDs; duplicates are an error
     * @return the policy
     */
    public static SmcPolicy of(Mode mode, List<Rule> rules) {
        return new SmcPolicy(mode, rules.stream().collect(Collectors.toMap(Rule::functionId, Function.identity(),
                (a, b) -> {
                    throw new IllegalArgumentException(String.format("SMC 0x%08x listed twice", a.functionId()));
                })));
    }

    /** @return the policy that denies everything */
    public static SmcPolicy denyAll() {
        return new SmcPolicy(Mode.DENY, Map.of());
    }

    /**
     * A board's default policy: deny stays deny; an allow-list forwards its functions; emulate answers its
     * functions with SUCCESS (0) in x0, since a board file names functions but gives no values.
     *
     * @param board the board's policy
     * @return the VM policy
     */
    public static SmcPolicy fromBoard(dev.sel4sim.boards.SmcPolicy board) {
        List<Rule> rules = board.functions().stream()
                .map(f -> switch (board.mode()) {
                    case EMULATE -> Rule.answer((int) f.id(), SmcValues.of(PsciReturn.SUCCESS));
                    default -> Rule.forward((int) f.id());
                })
                .toList();
        return switch (board.mode()) {
            case DENY -> denyAll();
            case ALLOW_LIST -> of(Mode.ALLOW, rules);
            case EMULATE -> of(Mode.EMULATE, rules);
        };
    }

    /**
     * @param functionId the function ID from w0
     * @return the decision for it
     */
    public SmcDecision decide(int functionId) {
        if (mode == Mode.DENY) {
            return SmcDecision.DENY;
        }
        Rule rule = rules.get(functionId);
        if (rule == null) {
            return SmcDecision.DENY;
        }
        return rule.answer().<SmcDecision>map(SmcDecision.Handle::new).orElse(SmcDecision.FORWARD);
    }
}
