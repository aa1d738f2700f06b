package dev.sel4sim.system.assembly;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Resolves the image references of a system file. {@code guest:arm64/Image} names a file of
 * the guest image cache that scripts/fetch-guests.sh fills from Debian's packages
 * ({@code $SEL4SIM_CACHE/guests}, else {@code .cache/guests} in the working directory or
 * above); any other reference is a path relative to the system file's directory.
 */
public final class GuestImages {
    public static final String PREFIX = "guest:";

    private GuestImages() {
    }

    /** The file a reference names; throws with the fix when it is missing. */
    public static Path resolve(String ref, Path systemDir) {
        Path p;
        if (ref.startsWith(PREFIX)) {
            Path dir = cacheDir().orElseThrow(() -> new IllegalStateException(
                    "the guest image cache is missing (" + ref + "): run scripts/fetch-guests.sh"));
            p = dir.resolve(ref.substring(PREFIX.length()));
        } else {
            p = systemDir == null ? Path.of(ref) : systemDir.resolve(ref);
        }
        if (!Files.isReadable(p)) {
            throw new IllegalStateException("image " + ref + " not found at " + p
                    + (ref.startsWith(PREFIX) ? ": run scripts/fetch-guests.sh" : ""));
        }
        return p;
    }

    static Optional<Path> cacheDir() {
        String env = System.getenv("SEL4SIM_CACHE");
        if (env != null && !env.isBlank() && Files.isDirectory(Path.of(env, "guests"))) {
            return Optional.of(Path.of(env, "guests"));
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path g = dir.resolve(".cache").resolve("guests");
            if (Files.isDirectory(g)) {
                return Optional.of(g);
            }
            dir = dir.getParent();
        }
        return Optional.empty();
    }
}
