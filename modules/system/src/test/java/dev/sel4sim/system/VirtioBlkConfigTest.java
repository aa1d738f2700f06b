package dev.sel4sim.system;

import dev.sel4sim.system.assembly.Systems;
import dev.sel4sim.system.assembly.VmLauncher;
import dev.sel4sim.system.config.ConfigError;
import dev.sel4sim.system.config.SystemConfigException;
import dev.sel4sim.system.config.SystemSpec;
import dev.sel4sim.system.config.VirtioDeviceSpec;
import dev.sel4sim.virtio.blk.DiskImage;
import dev.sel4sim.vmm.arm.vm.ArmVmSpec;
import dev.sel4sim.vmm.arm.vm.VirtioSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** virtio-blk devices in a system file: the keys, their errors with file:line and fix, and the VMM's spec. */
class VirtioBlkConfigTest {
    static final String FILE = "conf/systems/blk.conf";

    @TempDir
    Path dir;

    static String system(String virtio) {
        return "system {\n"                                       // 1
                + "  name = b\n"                                   // 2
                + "  board = qemu-arm-virt\n"                      // 3
                + "  vms = [ { name = vm0, kernel = k, virtio = [\n" // 4
                + virtio                                           // 5..
                + "  ] } ]\n"
                + "}\n";
    }

    static List<ConfigError> errors(String virtio) {
        return assertThrows(SystemConfigException.class, () -> Systems.loadText(system(virtio), FILE)).errors();
    }

    @Test
    void aBlkDeviceIsCopyOnWriteByDefaultAndItsImageResolvesBesideTheSystemFile() throws Exception {
        Files.write(dir.resolve("disk.img"), new byte[4096]);
        Files.write(dir.resolve("k"), new byte[64]);
        String text = system("    { name = disk0, type = blk, image = \"disk.img\" }\n"
                + "    { name = ro, type = blk, image = \"disk.img\", read-only = true }\n"
                + "    { name = wt, type = blk, image = \"disk.img\", write-through = true, legacy = true }\n"
                + "    { name = eth0, type = net }\n");
        SystemSpec s = Systems.loadText(text, dir.resolve("blk.conf").toString());
        List<VirtioDeviceSpec> d = s.vms().getFirst().virtio();
        assertEquals("disk.img", d.getFirst().image().orElseThrow());
        assertFalse(d.getFirst().readOnly() || d.getFirst().writeThrough());
        assertTrue(d.get(1).readOnly());
        assertTrue(d.get(2).writeThrough());
        assertTrue(d.get(3).image().isEmpty());

        ArmVmSpec vm = VmLauncher.armSpec(s, s.vms().getFirst());
        List<VirtioSpec> v = vm.virtio();
        assertEquals(VirtioSpec.Kind.BLOCK, v.getFirst().kind());
        assertEquals(dir.resolve("disk.img"), v.getFirst().image().orElseThrow().file().orElseThrow());
        assertEquals(DiskImage.Mode.COPY_ON_WRITE, v.getFirst().diskMode());
        assertEquals(DiskImage.Mode.READ_ONLY, v.get(1).diskMode());
        assertEquals(DiskImage.Mode.WRITE_THROUGH, v.get(2).diskMode());
        assertEquals(dev.sel4sim.virtio.mmio.MmioMode.LEGACY, v.get(2).mode());
        assertEquals(VirtioSpec.Kind.NET, v.get(3).kind());
    }

    @Test
    void aMissingImageFileFailsWhenTheVmIsPreparedWithItsPath() throws Exception {
        Files.write(dir.resolve("k"), new byte[64]);
        SystemSpec s = Systems.loadText(system("    { name = disk0, type = blk, image = \"nope.img\" }\n"),
                dir.resolve("blk.conf").toString());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> VmLauncher.armSpec(s, s.vms().getFirst()));
        assertTrue(e.getMessage().contains("nope.img") && e.getMessage().contains(dir.toString()), e.getMessage());
    }

    @Test
    void errorsNameTheLineAndTheFix() {
        List<ConfigError> noImage = errors("    { name = disk0, type = blk }\n");
        assertEquals(1, noImage.size(), noImage.toString());
        assertTrue(noImage.getFirst().toString().startsWith(FILE + ":5: "), noImage.toString());
        assertTrue(noImage.getFirst().toString().contains("has no image") && noImage.getFirst().expected().contains("image = "),
                noImage.toString());

        List<ConfigError> misplaced = errors("    { name = eth0, type = net }\n"
                + "    { name = n, type = net, image = \"disk.img\" }\n"
                + "    { name = c, type = console,\n"
                + "      read-only = true }\n");
        assertEquals(2, misplaced.size(), misplaced.toString());
        assertTrue(misplaced.getFirst().toString().startsWith(FILE + ":6: ") && misplaced.getFirst().toString().contains("'image' on a net device")
                && misplaced.getFirst().expected().equals("image only on type = blk"), misplaced.toString());
        assertTrue(misplaced.get(1).toString().startsWith(FILE + ":8: ") && misplaced.get(1).toString().contains("'read-only' on a console"),
                misplaced.toString());

        List<ConfigError> both = errors("    { name = d, type = blk, image = x, read-only = true, write-through = true }\n");
        assertTrue(both.getFirst().toString().contains("both read-only and write-through"), both.toString());

        List<ConfigError> unknown = errors("    { name = d, type = blk, image = x, size = 4M, readonly = true }\n");
        assertEquals(2, unknown.size(), unknown.toString());
        assertTrue(unknown.stream().allMatch(e -> e.problem().contains("unknown setting") && e.expected().contains("read-only")),
                unknown.toString());

        List<ConfigError> badType = errors("    { name = d, type = disk, image = x }\n");
        assertTrue(badType.getFirst().expected().contains("blk (virtio-blk, /dev/vda)"), badType.toString());
        assertEquals(1, badType.size(), "no second error about the image on an unknown type: " + badType);
    }
}
