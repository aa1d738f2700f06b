package dev.sel4sim.systemtest;

import dev.sel4sim.system.assembly.Systems;
import dev.sel4sim.system.config.SystemConfigException;
import dev.sel4sim.system.console.ExpectScript.Step;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A VM whose kernel and initrd come from a file server (camkes AddToFileServer) by name. */
class FileServerBootTest {
    static final String FILES = """
              components = [
                { name = files, kind = file-server, core = 0, priority = 100
                  settings { files { linux = "guest:arm64/Image", initrd = "guest:arm64/initramfs.cpio.gz" } } }
              ]
              vms = [""";

    static String served(String conf, String initrd) {
        // The VM's references first, then the server (whose settings name the cache files).
        return conf.replace("vcpus = 2", "vcpus = 1")
                .replace("\"guest:arm64/Image\"\n", "\"files:linux\"\n")
                .replace("initrd = \"guest:arm64/initramfs.cpio.gz\"", "initrd = \"files:" + initrd + "\"")
                .replaceFirst("  vms = \\[", FILES);
    }

    @BeforeAll
    static void guests() {
        GuestRun.requireGuests();
    }

    @Test
    void linuxBootsFromImagesTheFileServerServes() throws Exception {
        GuestRun.Result r = GuestRun.run("vm_minimal.conf", c -> served(c, "initrd"),
                List.of(Step.expect("SEL4SIM-INIT-OK"), Step.expect("# ")), Duration.ofSeconds(120));
        assertTrue(r.matched(), "no shell from the served images:\n" + r.tail());
    }

    @Test
    void anImageTheFileServerDoesNotHaveIsAConfigErrorAtTheVmsLine() throws Exception {
        String text = served(Files.readString(GuestRun.conf("vm_minimal.conf")), "initramfs");
        SystemConfigException e = assertThrows(SystemConfigException.class, () -> Systems.loadText(text, "fs.conf"));
        assertTrue(e.getMessage().contains("takes image 'initramfs' from file server 'files', which has no such file")
                && e.getMessage().contains("[initrd, linux]"), e.getMessage());
    }
}
