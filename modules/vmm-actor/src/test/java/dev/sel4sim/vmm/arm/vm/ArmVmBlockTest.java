package dev.sel4sim.vmm.arm.vm;

import dev.sel4sim.vmm.run.VmClock;
import dev.sel4sim.virtio.blk.DiskImage;
import dev.sel4sim.virtio.blk.VirtioBlk;
import dev.sel4sim.virtio.mmio.MmioMode;
import dev.sel4sim.vmm.arm.psci.SmcPolicy;
import dev.sel4sim.vmm.boot.ImageSource;
import dev.sel4sim.vmm.cpu.unicorn.UnicornLibrary;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A VM given a virtio-blk device: the window behind the slot, its image, its lifetime. */
class ArmVmBlockTest {
    static UnicornLibrary lib;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() {
        assumeTrue(UnicornLibrary.available(), "Unicorn not set up (scripts/setup.sh)");
        lib = UnicornLibrary.locate();
    }

    private ArmVm vm(List<VirtioSpec> virtio) throws IOException {
        Path fw = dir.resolve("fw.bin");
        Files.write(fw, new byte[] {0, 0, 0, 0x14}); // b .
        ArmVmSpec spec = new ArmVmSpec("t", 0x4000_0000L, 64L << 20, 1, "cortex-a53", 2, VmClock.PACED, 1, 100_000,
                Optional.empty(), Optional.empty(), "", Optional.of(fw), 0, ArmVmLayout.qemuVirt(),
                62_500_000L, virtio);
        return ArmVmBuilder.build(spec, lib, x -> { }, SmcPolicy.denyAll());
    }

    @Test
    void aBlockDeviceSitsInItsWindowOverItsImageAndClosesWithTheVm() throws Exception {
        Path image = dir.resolve("disk.img");
        Files.write(image, new byte[40 * 512]);
        ArmVm vm = vm(List.of(VirtioSpec.console("hvc0"), VirtioSpec.block("disk0", ImageSource.file(image), DiskImage.Mode.READ_ONLY)));
        VirtioAttachment disk = vm.virtio().get(1);
        VirtioBlk blk = disk.blk().orElseThrow();
        assertTrue(vm.virtio().getFirst().blk().isEmpty());
        assertEquals(ArmVmLayout.qemuVirt().virtioWindow(1), disk.slot().base());
        assertEquals(VirtioBlk.DEVICE_ID, disk.transport().read(0x008, 4));
        assertEquals(40, disk.transport().read(0x100, 4), "capacity in sectors");
        assertEquals(1L << VirtioBlk.F_RO, disk.transport().read(0x010, 4) & (1L << VirtioBlk.F_RO));
        vm.close();
        assertThrows(IOException.class, () -> blk.backend().read(0, ByteBuffer.allocate(512)), "the image is closed with the VM");
    }

    @Test
    void aMissingImageNamesTheVmAndTheDevice() {
        Path missing = dir.resolve("nope.img");
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> vm(List.of(VirtioSpec.block("disk0", ImageSource.file(missing), DiskImage.Mode.COPY_ON_WRITE))));
        assertTrue(e.getMessage().contains("VM t") && e.getMessage().contains("disk0") && e.getMessage().contains("nope.img"),
                e.getMessage());
    }

    /** An image as a file server hands it out: bytes, no file behind them. */
    static ImageSource served(byte[] bytes) {
        return new ImageSource() {
            @Override
            public String describe() {
                return "files:disk (from file server 'files')";
            }

            @Override
            public long size() {
                return bytes.length;
            }

            @Override
            public byte[] head(int length) {
                return java.util.Arrays.copyOf(bytes, Math.min(length, bytes.length));
            }

            @Override
            public byte[] readAll() {
                return bytes.clone();
            }
        };
    }

    @Test
    void anImageFromAFileServerIsHeldInMemoryAndCannotBeWrittenThrough() throws Exception {
        ArmVm vm = vm(List.of(VirtioSpec.block("disk0", served(new byte[16 * 512]), DiskImage.Mode.COPY_ON_WRITE)));
        try {
            assertEquals(16, vm.virtio().getFirst().transport().read(0x100, 4));
        } finally {
            vm.close();
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> vm(List.of(VirtioSpec.block("disk0", served(new byte[512]), DiskImage.Mode.WRITE_THROUGH))));
        assertTrue(e.getMessage().contains("disk0") && e.getMessage().contains("write-through needs a host file"), e.getMessage());
    }

    @Test
    void theSpecTiesImagesToBlockDevicesOnly() {
        ImageSource any = ImageSource.file(dir.resolve("x"));
        assertThrows(IllegalArgumentException.class, () -> new VirtioSpec("d", VirtioSpec.Kind.BLOCK, Optional.empty(),
                MmioMode.MODERN, Optional.empty(), DiskImage.Mode.COPY_ON_WRITE));
        assertThrows(IllegalArgumentException.class, () -> new VirtioSpec("n", VirtioSpec.Kind.NET, Optional.empty(),
                MmioMode.MODERN, Optional.of(any), DiskImage.Mode.COPY_ON_WRITE));
    }
}
