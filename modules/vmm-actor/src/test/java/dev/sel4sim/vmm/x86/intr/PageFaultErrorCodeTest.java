package dev.sel4sim.vmm.x86.intr;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static dev.sel4sim.vmm.x86.intr.PageFaultErrorCode.PRESENT;
import static dev.sel4sim.vmm.x86.intr.PageFaultErrorCode.USER;
import static dev.sel4sim.vmm.x86.intr.PageFaultErrorCode.WRITE;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** #PF error codes rebuilt from hand-made 32-bit page tables. */
class PageFaultErrorCodeTest {
    static final long CR3 = 0x1000;
    final Map<Long, Integer> memory = new HashMap<>();

    int code(boolean wp, boolean user, long linear) {
        return PageFaultErrorCode.of(CR3, true, wp, user, linear, a -> memory.getOrDefault(a, 0));
    }

    @Test
    void notPresentAtEitherLevel() {
        assertEquals(0, code(true, false, 0x0040_0000), "no page table");
        assertEquals(USER, code(true, true, 0x0040_0000));
        memory.put(CR3 + 4, 0x2000 | 0x7); // PDE 1 -> table at 0x2000
        assertEquals(USER, code(true, true, 0x0040_3000), "PTE 3 is empty");
    }

    @Test
    void presentPagesTellWritesAndUserAccessApart() {
        memory.put(CR3 + 4, 0x2000 | 0x7);
        memory.put(0x2000L + 3 * 4, 0x9000 | 0x5); // present, user, read-only
        memory.put(0x2000L + 4 * 4, 0xa000 | 0x3); // present, writable, supervisor
        assertEquals(PRESENT | WRITE | USER, code(true, true, 0x0040_3010), "user write to a read-only page");
        assertEquals(PRESENT | WRITE, code(true, false, 0x0040_3010), "kernel write with CR0.WP");
        assertEquals(PRESENT | USER, code(true, true, 0x0040_4000), "user access to a supervisor page");
        memory.put(CR3 + 8, 0x0080_0000 | 0x80 | 0x5); // 4 MiB user read-only page
        assertEquals(PRESENT | WRITE | USER, code(true, true, 0x0080_1234));
        // A supervisor-only directory entry makes its whole table supervisor-only.
        memory.put(CR3 + 12, 0x3000 | 0x3);
        memory.put(0x3000L, 0xb000 | 0x7);
        assertEquals(PRESENT | USER, code(true, true, 0x00c0_0000));
    }
}
