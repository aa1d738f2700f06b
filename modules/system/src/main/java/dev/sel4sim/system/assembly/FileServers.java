package dev.sel4sim.system.assembly;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import dev.sel4sim.servers.FileServer;
import dev.sel4sim.system.config.ComponentSpec;
import dev.sel4sim.system.config.SystemSpec;
import dev.sel4sim.vmm.boot.ImageSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The system's file servers (kind {@code file-server}, as the camkes FileServer with
 * AddToFileServer): each serves the images its {@code files} setting names, and a VM whose image
 * reference is {@code SERVER:NAME} gets that image from it, by name, when its VMM builds it.
 */
public final class FileServers {
    private final Map<String, FileServer> servers = new LinkedHashMap<>();

    private FileServers() {
    }

    /** Reads every file server's images now (a missing file fails with its image name and path). */
    public static FileServers of(SystemSpec sys) {
        FileServers fs = new FileServers();
        Path dir = sys.file() == null ? null : Path.of(sys.file()).toAbsolutePath().getParent();
        for (ComponentSpec c : sys.components()) {
            if (c.kind().equals("file-server")) {
                fs.servers.put(c.name(), FileServer.load(files(c.settings(), dir)));
            }
        }
        return fs;
    }

    /** The images a file-server component's settings name: {@code files { NAME = "guest:..." | "path" }}. */
    static Map<String, Path> files(Config settings, Path dir) {
        Map<String, Path> out = new LinkedHashMap<>();
        if (settings.hasPath("files")) {
            for (Map.Entry<String, ConfigValue> e : settings.getConfig("files").root().entrySet()) {
                out.put(e.getKey(), GuestImages.resolve(String.valueOf(e.getValue().unwrapped()), dir));
            }
        }
        return out;
    }

    /** The image {@code ref} names when it is {@code SERVER:NAME} for one of these servers. */
    public Optional<ImageSource> image(String ref) {
        int colon = ref.indexOf(':');
        if (colon <= 0 || !servers.containsKey(ref.substring(0, colon))) {
            return Optional.empty();
        }
        String server = ref.substring(0, colon);
        String name = ref.substring(colon + 1);
        FileServer fs = servers.get(server);
        if (!fs.has(name)) {
            throw new IllegalStateException("file server '" + server + "' has no image '" + name + "'; it has " + fs.names());
        }
        return Optional.of(new ImageSource() {
            @Override
            public String describe() {
                return ref + " (from file server '" + server + "')";
            }

            @Override
            public long size() {
                return fs.size(name);
            }

            @Override
            public byte[] head(int length) {
                return fs.read(name, 0, (int) Math.min(length, fs.size(name)));
            }

            @Override
            public byte[] readAll() throws IOException {
                return fs.read(name, 0, (int) fs.size(name));
            }
        });
    }
}
