package dev.sel4sim.systemtest;

import dev.sel4sim.system.assembly.GuestImages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * conf/systems/vm_virtio_blk.conf launched as a user launches it (./sel4sim, scripted): Debian's virtio_blk
 * driver finds the disk, busybox mounts its ext2 file system, reads the file fetch-guests.sh put there, writes a
 * file that survives sync, umount and mount, and the image file on the host is untouched (copy-on-write).
 */
class VirtioBlkSystemTest {
    static Path disk;

    @BeforeAll
    static void guests() {
        GuestRun.requireGuests();
        disk = GuestImages.resolve("guest:arm64/disk.ext2", null);
    }

    static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    @Test
    void theGuestMountsTheDiskReadsAndWritesItAndTheImageStaysPristine() throws Exception {
        String before = sha256(disk);
        SeedSystemsTest.Run r = SeedSystemsTest.launch(200, "run", "conf/systems/vm_virtio_blk.conf", "--timeout", "150",
                "--expect", "# ",
                "--send", "echo DEV $(cat /sys/block/vda/size) $(cat /sys/block/vda/serial) ro=$(cat /sys/block/vda/ro) END",
                "--expect", "^DEV 8192 disk0 ro=0 END",
                "--send", "mount /dev/vda /mnt && cat /mnt/hello.txt",
                "--expect", "^hello from a sel4sim virtio-blk disk",
                "--send", "echo written-by-guest-$((6*7)) > /mnt/new.txt && sync && umount /mnt && echo 3 > /proc/sys/vm/drop_caches"
                        + " && mount /dev/vda /mnt && cat /mnt/new.txt /mnt/hello.txt | tr a-z A-Z",
                "--expect", "^WRITTEN-BY-GUEST-42",
                "--expect", "^HELLO FROM A SEL4SIM VIRTIO-BLK DISK");
        assertEquals(0, r.code(), SeedSystemsTest.tail(r.out()));
        Matcher m = Pattern.compile("virtio-blk vm0\\.disk0 \\(.*disk\\.ext2 \\(copy-on-write\\)\\): ([0-9,]+) reads \\([0-9,]+ bytes\\),"
                + " ([0-9,]+) writes \\(([0-9,]+) bytes\\), [0-9,]+ flushes, 0 I/O errors").matcher(r.out());
        assertTrue(m.find(), "the run reports the disk's counters:\n" + SeedSystemsTest.tail(r.out()));
        assertTrue(Long.parseLong(m.group(1).replace(",", "")) > 0, "the guest read the disk");
        assertTrue(Long.parseLong(m.group(2).replace(",", "")) > 0, "sync and umount wrote to the disk: " + m.group());
        assertEquals(before, sha256(disk), "the image file is unchanged: the guest's writes were copy-on-write");
    }

    @Test
    void aReadOnlyDiskIsReadOnlyInTheGuest() throws Exception {
        Path conf = Files.createTempFile("vm_virtio_blk_ro", ".conf");
        try {
            Files.writeString(conf, Files.readString(GuestRun.conf("vm_virtio_blk.conf")).replace("read-only = false", "read-only = true"));
            SeedSystemsTest.Run r = SeedSystemsTest.launch(200, "run", conf.toString(), "--timeout", "150",
                    "--expect", "# ",
                    "--send", "echo RO=$(cat /sys/block/vda/ro); mount -o ro /dev/vda /mnt && cat /mnt/hello.txt"
                            + " && touch /mnt/x || echo TOUCH-FAILED-$((40+2))",
                    "--expect", "^RO=1",
                    "--expect", "^hello from a sel4sim virtio-blk disk",
                    "--expect", "^TOUCH-FAILED-42");
            assertEquals(0, r.code(), SeedSystemsTest.tail(r.out()));
            assertTrue(Pattern.compile("virtio-blk vm0\\.disk0 \\(.*\\(read-only\\)\\): [0-9,]+ reads \\([0-9,]+ bytes\\), 0 writes")
                    .matcher(r.out()).find(), SeedSystemsTest.tail(r.out()));
        } finally {
            Files.deleteIfExists(conf);
        }
    }
}
