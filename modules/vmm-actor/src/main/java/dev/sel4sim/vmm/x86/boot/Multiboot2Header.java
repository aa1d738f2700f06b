package dev.sel4sim.vmm.x86.boot;

import dev.sel4sim.vmm.boot.BootImageException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The Multiboot 2 header of a kernel image (Multiboot2 specification 2.0, section 3.1): at an 8-byte
 * aligned offset, wholly within the first 32 KiB, magic 0xE85250D6, an architecture, its length and a
 * checksum that makes the four fields sum to zero, then tags up to an end tag. A tag this loader
 * cannot honour refuses the image unless the kernel marked it optional (flags bit 0).
 *
 * @param fileOffset   where the header starts in the file
 * @param length       header_length: the magic fields and the tags, the end tag included
 * @param address      the address tag: where to load the image, instead of by its ELF headers
 * @param entry        the entry address tag's entry_addr
 * @param requests     the information tag types the kernel asked for, optional requests included
 * @param consoleFlags the console flags tag's console_flags (0 without the tag)
 */
public record Multiboot2Header(int fileOffset, int length, Optional<Multiboot2Address> address, OptionalLong entry,
                               List<Integer> requests, int consoleFlags) {
    public static final int MAGIC = 0xe85250d6;
    /** The value a Multiboot 2 loader leaves in EAX. */
    public static final int BOOTLOADER_MAGIC = 0x36d76289;
    /** The header must lie wholly within this many bytes from the start of the file. */
    public static final int SEARCH_LIMIT = 32768;
    public static final int ALIGN = 8;
    public static final int ARCH_I386 = 0;
    private static final int ARCH_MIPS32 = 4;

    public static final int TAG_END = 0;
    public static final int TAG_INFORMATION_REQUEST = 1;
    public static final int TAG_ADDRESS = 2;
    public static final int TAG_ENTRY_ADDRESS = 3;
    public static final int TAG_CONSOLE_FLAGS = 4;
    public static final int TAG_FRAMEBUFFER = 5;
    public static final int TAG_MODULE_ALIGN = 6;
    public static final int TAG_EFI_BS = 7;
    public static final int TAG_ENTRY_ADDRESS_EFI32 = 8;
    public static final int TAG_ENTRY_ADDRESS_EFI64 = 9;
    public static final int TAG_RELOCATABLE = 10;
    /** Tag flags bit 0: the loader may ignore the tag if it cannot honour it. */
    public static final int TAG_OPTIONAL = 1;
    public static final int CONSOLE_REQUIRED = 1;
    public static final int CONSOLE_EGA_TEXT_SUPPORTED = 1 << 1;
    /**
     * The highest information tag type the specification defines (21, the image load base). A required
     * request for any of 0..21 is understood: the information is given when this machine has it, and
     * left out when it does not (no APM, no EFI, no ACPI tag), which the specification allows.
     */
    private static final int LAST_INFO_TYPE = 21;

    public Multiboot2Header {
        requests = List.copyOf(requests);
    }

    /**
     * Finds and checks the header.
     *
     * @throws BootImageException when there is none, its checksum is wrong, it is for another
     *                            architecture, or it asks for something this loader cannot give
     */
    public static Multiboot2Header find(byte[] file) throws BootImageException {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int end = Math.min(file.length, SEARCH_LIMIT);
        String badChecksum = null;
        for (int at = 0; at + 16 <= end; at += ALIGN) {
            if (b.getInt(at) != MAGIC) {
                continue;
            }
            int architecture = b.getInt(at + 4);
            int length = b.getInt(at + 8);
            int checksum = b.getInt(at + 12);
            if (MAGIC + architecture + length + checksum != 0) {
                if (badChecksum == null) {
                    badChecksum = String.format("magic 0xE85250D6 at offset 0x%x, but the checksum 0x%08x does not make magic +"
                            + " architecture (%d) + header_length (%d) + checksum zero", at, checksum, architecture, length);
                }
                continue;
            }
            if (architecture != ARCH_I386) {
                throw new BootImageException(String.format("the Multiboot 2 header at 0x%x is for architecture %d%s, not i386"
                        + " protected mode (0): this is not an x86 kernel", at, architecture,
                        architecture == ARCH_MIPS32 ? " (32-bit MIPS)" : ""));
            }
            return parseTags(b, at, length, end);
        }
        if (badChecksum != null) {
            throw new BootImageException("no valid Multiboot 2 header: " + badChecksum);
        }
        throw new BootImageException("no Multiboot 2 header (magic 0xE85250D6 at an 8-byte boundary) in the first " + end
                + " bytes: not a Multiboot 2 kernel");
    }

    private static Multiboot2Header parseTags(ByteBuffer b, int at, int length, int end) throws BootImageException {
        if (length < 24 || (long) at + length > end) {
            throw new BootImageException(String.format("the Multiboot 2 header at 0x%x has header_length %d: it must hold the"
                    + " magic fields and an end tag (24 bytes at least) and end within the file's first %d bytes",
                    at, Integer.toUnsignedLong(length), end));
        }
        int headerEnd = at + length;
        long[] address = null;
        OptionalLong entry = OptionalLong.empty();
        List<Integer> requests = new ArrayList<>();
        int consoleFlags = 0;
        int p = at + 16;
        while (true) {
            if (p + 8 > headerEnd) {
                throw new BootImageException(String.format("the Multiboot 2 header at 0x%x has no end tag within its header_length"
                        + " %d", at, length));
            }
            int type = Short.toUnsignedInt(b.getShort(p));
            int flags = Short.toUnsignedInt(b.getShort(p + 2));
            long size = Integer.toUnsignedLong(b.getInt(p + 4));
            // GRUB stops at the first type 0 whatever its size, and kernels that write 0 there boot with it.
            if (type == TAG_END) {
                break;
            }
            boolean optional = (flags & TAG_OPTIONAL) != 0;
            if (size < 8 || p + size > headerEnd) {
                throw new BootImageException(String.format("Multiboot 2 header tag type %d at file offset 0x%x has size %d: it"
                        + " does not fit the header (header_length %d)", type, p, size, length));
            }
            switch (type) {
                case TAG_INFORMATION_REQUEST -> {
                    for (int i = p + 8; i + 4 <= p + size; i += 4) {
                        int wanted = b.getInt(i);
                        if (!optional && Integer.compareUnsigned(wanted, LAST_INFO_TYPE) > 0) {
                            throw new BootImageException(String.format("the kernel's Multiboot 2 information request (not"
                                    + " optional) asks for tag type %d, which this loader does not know (the specification"
                                    + " defines 0 to %d)", Integer.toUnsignedLong(wanted), LAST_INFO_TYPE));
                        }
                        requests.add(wanted);
                    }
                }
                case TAG_ADDRESS -> {
                    need(type, size, 24, p);
                    address = new long[] {u32(b, p + 8), u32(b, p + 12), u32(b, p + 16), u32(b, p + 20)};
                }
                case TAG_ENTRY_ADDRESS -> {
                    need(type, size, 12, p);
                    entry = OptionalLong.of(u32(b, p + 8));
                }
                case TAG_CONSOLE_FLAGS -> {
                    need(type, size, 12, p);
                    consoleFlags = b.getInt(p + 8);
                    // The one console here is the EGA text screen.
                    if (!optional && (consoleFlags & CONSOLE_REQUIRED) != 0 && (consoleFlags & CONSOLE_EGA_TEXT_SUPPORTED) == 0) {
                        throw new BootImageException("the kernel's Multiboot 2 console flags require a console but not the EGA"
                                + " text screen, the only one this machine has (a graphics framebuffer is not provided)");
                    }
                }
                // A preferred graphics mode: the screen stays EGA text, described as such in the information.
                case TAG_FRAMEBUFFER -> { }
                // Modules are always page aligned here.
                case TAG_MODULE_ALIGN -> { }
                case TAG_EFI_BS, TAG_ENTRY_ADDRESS_EFI32, TAG_ENTRY_ADDRESS_EFI64 -> {
                    if (!optional) {
                        throw new BootImageException(String.format("the kernel's Multiboot 2 header has %s (tag %d) not marked"
                                + " optional: it needs EFI, and this machine boots it as a BIOS PC would", efiTagName(type), type));
                    }
                }
                // The image may go anywhere in a range; its preferred (linked) address is one of them.
                case TAG_RELOCATABLE -> { }
                default -> {
                    if (!optional) {
                        throw new BootImageException(String.format("the kernel's Multiboot 2 header has tag type %d (at file offset"
                                + " 0x%x), not marked optional, which this loader does not know (it knows types 1 to 10)", type, p));
                    }
                }
            }
            p += (int) ((size + ALIGN - 1) & -ALIGN);
        }
        Optional<Multiboot2Address> resolved = Optional.empty();
        if (address != null) {
            if (entry.isEmpty()) {
                throw new BootImageException("the kernel's Multiboot 2 header has an address tag (type 2) but no entry address tag"
                        + " (type 3): nothing says where to start it");
            }
            resolved = Optional.of(Multiboot2Address.resolve(at, address[0], address[1], address[2], address[3], b.capacity()));
        }
        return new Multiboot2Header(at, length, resolved, entry, requests, consoleFlags);
    }

    private static void need(int type, long size, int least, int at) throws BootImageException {
        if (size < least) {
            throw new BootImageException(String.format("Multiboot 2 header tag type %d at file offset 0x%x has size %d, less than"
                    + " its fields' %d bytes", type, at, size, least));
        }
    }

    private static String efiTagName(int type) {
        return switch (type) {
            case TAG_EFI_BS -> "the EFI boot services tag";
            case TAG_ENTRY_ADDRESS_EFI32 -> "an EFI i386 entry address";
            default -> "an EFI amd64 entry address";
        };
    }

    private static long u32(ByteBuffer b, int at) {
        return Integer.toUnsignedLong(b.getInt(at));
    }
}
