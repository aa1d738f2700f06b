package dev.sel4sim.vmm.x86.vm;

import dev.sel4sim.vmm.boot.BootImageException;
import dev.sel4sim.vmm.boot.ImageSource;
import dev.sel4sim.vmm.cpu.unicorn.UnicornLibrary;
import dev.sel4sim.vmm.run.StepResult;
import dev.sel4sim.vmm.run.VmClock;
import dev.sel4sim.vmm.x86.cpu.unicorn.UnicornX86Library;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** An x86 VM as the VMM actor drives it: built from a spec, stepped slice by slice. */
class X86VmTest {
    @Test
    void multibootKernelRunsToItsFinalHaltAndTheVmReportsIt() throws Exception {
        assumeTrue(UnicornLibrary.available(), "Unicorn not set up (scripts/setup.sh)");
        Optional<Path> image = MultibootExampleKernelTest.kernel();
        GuestImages.require(image.isPresent(), "Debian's multiboot example kernel is missing: run scripts/fetch-guests-x86.sh");
        X86VmSpec spec = new X86VmSpec("mb", new X86MachineConfig(32L << 20, 1), VmClock.DETERMINISTIC, 1_000, ImageSource.file(image.get()),
                Optional.empty(), "from-the-spec");
        try (X86Vm vm = X86VmBuilder.build(spec, UnicornX86Library.locate(), b -> { })) {
            StepResult last = null;
            int ran = 0;
            for (int i = 0; i < 2_000; i++) {
                last = vm.step();
                if (!(last instanceof StepResult.Ran)) {
                    break;
                }
                ran++;
            }
            // The example kernel ends in "cli; hlt" once it has printed: the VM is over, and says why.
            StepResult.Stopped stopped = assertInstanceOf(StepResult.Stopped.class, last);
            assertTrue(stopped.why().describe().contains("interrupts off"), stopped.why().describe());
            assertTrue(ran > 0, "slices ran before the halt");
            assertTrue(String.join("\n", vm.machine().vga().screen()).contains("line = from-the-spec"),
                    String.join("\n", vm.machine().vga().screen()));
            assertTrue(vm.stats().contains("instructions"), vm.stats());
        }
    }

    @Test
    void anImageThatIsNeitherBzImageNorMultibootIsRefusedWithTheFix() throws Exception {
        Path junk = Files.createTempFile("not-a-kernel", ".bin");
        try {
            Files.write(junk, new byte[16384]);
            BootImageException e = assertThrows(BootImageException.class,
                    () -> X86VmBuilder.kindOf(Files.readAllBytes(junk), junk.toString()));
            assertTrue(e.getMessage().contains("neither a Linux bzImage") && e.getMessage().contains("kernel = "), e.getMessage());
        } finally {
            Files.delete(junk);
        }
    }

    @Test
    void bzImageIsToldApartFromMultibootByItsSetupHeader() throws Exception {
        byte[] image = new byte[4096];
        image[0x202] = 'H';
        image[0x203] = 'd';
        image[0x204] = 'r';
        image[0x205] = 'S';
        assertEquals(X86VmBuilder.ImageKind.LINUX_BZIMAGE, X86VmBuilder.kindOf(image, "test"));
    }
}
