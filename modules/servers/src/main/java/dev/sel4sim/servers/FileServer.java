package dev.sel4sim.servers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Named read-only images served to clients, as the camkes FileServer serves the files a system
 * adds with AddToFileServer: a kernel, an initrd, a device tree. Images are read once when the
 * server is made and never change afterwards.
 */
public final class FileServer {
    /** Java arrays stop a little short of 2 GiB. */
    private static final long MAX_IMAGE = Integer.MAX_VALUE - 8;

    private final TreeMap<String, byte[]> images;

    private FileServer(TreeMap<String, byte[]> images) {
        this.images = images;
    }

    /** A file server holding copies of {@code images}. */
    public static FileServer of(Map<String, byte[]> images) {
        TreeMap<String, byte[]> copy = new TreeMap<>();
        images.forEach((name, bytes) -> copy.put(checkName(name), bytes.clone()));
        return new FileServer(copy);
    }

    /**
     * A file server holding the files the system description names, read now. A file that cannot
     * be read fails with its image name and path.
     */
    public static FileServer load(Map<String, Path> files) {
        TreeMap<String, byte[]> images = new TreeMap<>();
        files.forEach((name, path) -> images.put(checkName(name), readImage(name, path)));
        return new FileServer(images);
    }

    /** The image names, sorted. */
    public SortedSet<String> names() {
        return new TreeSet<>(images.keySet());
    }

    public boolean has(String name) {
        return images.containsKey(name);
    }

    /** The size in bytes of image {@code name}. */
    public long size(String name) {
        return image(name).length;
    }

    /**
     * {@code length} bytes of image {@code name} from {@code offset}. The range must lie within
     * the image; ask {@link #size} first to read up to its end.
     */
    public byte[] read(String name, long offset, int length) {
        byte[] img = image(name);
        if (offset < 0 || length < 0 || offset > img.length || length > img.length - offset) {
            throw new IndexOutOfBoundsException("read of " + length + " bytes at offset " + offset + " is outside image '"
                    + name + "' of " + img.length + " bytes");
        }
        return Arrays.copyOfRange(img, (int) offset, (int) offset + length);
    }

    private byte[] image(String name) {
        byte[] img = images.get(name);
        if (img == null) {
            throw new IllegalArgumentException("file server has no image '" + name + "'; it has " + images.keySet());
        }
        return img;
    }

    private static String checkName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a file server image needs a non-blank name");
        }
        return name;
    }

    private static byte[] readImage(String name, Path path) {
        try {
            if (Files.isDirectory(path)) {
                throw new IllegalArgumentException("file server image '" + name + "': " + path + " is a directory, not a file");
            }
            long size = Files.size(path);
            if (size > MAX_IMAGE) {
                throw new IllegalArgumentException("file server image '" + name + "': " + path + " has " + size
                        + " bytes, more than the " + MAX_IMAGE + " an image may have");
            }
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("file server image '" + name + "': no file " + path, e);
        } catch (IOException e) {
            throw new IllegalArgumentException("file server image '" + name + "': cannot read " + path + ": " + e.getMessage(), e);
        }
    }
}
