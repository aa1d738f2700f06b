package dev.sel4sim.systemtest;

import dev.sel4sim.system.console.ExpectScript.Step;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real guests nobody here wrote, booted from the system files in conf/systems and driven at
 * their consoles: Debian's arm64 kernel with a busybox initramfs, and U-Boot.
 */
class ArmGuestBootTest {
    static final String PROMPT = "# ";

    @BeforeAll
    static void guests() {
        GuestRun.requireGuests();
    }

    static String deterministic(String conf) {
        return conf.replace("clock = paced", "clock = virtual");
    }

    @Test
    void vmMinimalBootsToAShellOnTwoCpusWithTheTimerTickingOnBoth() throws Exception {
        GuestRun.Result r = GuestRun.run("vm_minimal.conf", c -> c, List.of(
                Step.expect("SEL4SIM-INIT-OK"), Step.expect(PROMPT),
                Step.sendLine("nproc; cat /proc/interrupts; echo END-OF-CHECK"), Step.expect("(?s)arch_timer.*^END-OF-CHECK")),
                Duration.ofSeconds(150));
        assertTrue(r.matched(), "no shell answer; console:\n" + r.tail());
        assertTrue(Pattern.compile("^2\\r?$", Pattern.MULTILINE).matcher(r.transcript()).find(), "nproc prints 2:\n" + r.tail());
        Matcher m = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+GIC-0\\s+27 Level\\s+arch_timer", Pattern.MULTILINE)
                .matcher(r.transcript());
        assertTrue(m.find(), "a timer line for two CPUs in /proc/interrupts:\n" + r.tail());
        assertTrue(Long.parseLong(m.group(1)) > 10 && Long.parseLong(m.group(2)) > 10,
                "the virtual timer (PPI 27) ticks on both CPUs: " + m.group());
    }

    @Test
    void aComputeLoopThatNeverTrapsDoesNotStopTheTimerFromWakingSleep() throws Exception {
        // awk spins without a system call; the sleep needs the timer interrupt to preempt it.
        GuestRun.Result r = GuestRun.run("vm_minimal.conf", c -> c.replace("vcpus = 2", "vcpus = 1"), List.of(
                Step.expect(PROMPT), Step.sendLine("awk 'BEGIN{for(;;);}' & sleep 1; echo DONE-AFTER-SLEEP"),
                Step.expect("^DONE-AFTER-SLEEP")), Duration.ofSeconds(120));
        assertTrue(r.matched(), "sleep 1 never returned beside a compute loop; console:\n" + r.tail());
    }

    @Test
    void twoDeterministicBootsGiveByteIdenticalConsoles() throws Exception {
        List<Step> script = List.of(Step.expect(PROMPT), Step.sendLine("cat /proc/interrupts; echo END-OF-CHECK"),
                Step.expect("^END-OF-CHECK"));
        GuestRun.Result a = GuestRun.run("vm_minimal.conf", ArmGuestBootTest::deterministic, script, Duration.ofSeconds(150));
        GuestRun.Result b = GuestRun.run("vm_minimal.conf", ArmGuestBootTest::deterministic, script, Duration.ofSeconds(150));
        assertTrue(a.matched() && b.matched(), "both boots reach the shell:\n" + a.tail() + "\n----\n" + b.tail());
        String ta = upTo(a.transcript(), "END-OF-CHECK\r\n");
        String tb = upTo(b.transcript(), "END-OF-CHECK\r\n");
        assertTrue(ta.contains("] Run /init as init process"), "printk timestamps are part of what is compared");
        assertEquals(ta, tb, "deterministic consoles differ");
    }

    @Test
    void gicV3VariantBootsOnTwoCpus() throws Exception {
        GuestRun.Result r = GuestRun.run("vm_minimal_gicv3.conf", c -> c, List.of(Step.expect(PROMPT),
                Step.sendLine("nproc; grep -c GICv3 /proc/interrupts; echo END-OF-CHECK"), Step.expect("^END-OF-CHECK")),
                Duration.ofSeconds(150));
        assertTrue(r.matched(), "no shell on the GICv3 VM; console:\n" + r.tail());
        assertTrue(r.transcript().contains("GICv3: CPU1: found redistributor 1"), r.tail());
        assertTrue(Pattern.compile("^2\\r?$", Pattern.MULTILINE).matcher(r.transcript()).find(), "nproc prints 2:\n" + r.tail());
    }

    @Test
    void uBootReachesItsPromptAndAnswersVersion() throws Exception {
        GuestRun.Result r = GuestRun.run("uboot.conf", c -> c, List.of(Step.expect("=> "), Step.sendLine("version"),
                Step.expect("U-Boot 20\\d\\d\\.\\d\\d")), Duration.ofSeconds(90));
        assertTrue(r.matched(), "no U-Boot prompt; console:\n" + r.tail());
    }

    private static String upTo(String s, String marker) {
        int i = s.indexOf(marker);
        return i < 0 ? s : s.substring(0, i + marker.length());
    }
}
