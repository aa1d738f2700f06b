package dev.sel4sim.boards;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The board catalogue: every board is a HOCON resource {@code boards/<id>.conf}, listed in
 * {@code boards/index.conf}, parsed once into an immutable {@link Board}.
 *
 * <pre>{@code
 * Board zcu102 = Boards.load("zcu102");
 * Gic gic = (Gic) zcu102.interruptController();
 * long gicd = gic.distributor().base();          // 0xf9010000
 * }</pre>
 *
 * <p>A wrong board file gives a {@link BoardConfigException} naming the resource, the line, the setting and
 * what was expected.
 */
public final class Boards {

    /** The resource listing the board ids. */
    public static final String INDEX_RESOURCE = "boards/index.conf";

    private Boards() {
    }

    /** Reads the index once, on first use. */
    private static final class Index {
        static final List<String> IDS = readIndex();
    }

    /** @return the ids of all known boards, sorted */
    public static List<String> ids() {
        return Index.IDS;
    }

    /**
     * Loads a board, parsing its file (boards are immutable; callers keep what they need).
     *
     * @param id a board id from {@link #ids()}, e.g. {@code "qemu-arm-virt"}
     * @return the board
     * @throws IllegalArgumentException if no such board is listed
     * @throws BoardConfigException     if its file is wrong
     */
    public static Board load(String id) {
        if (!ids().contains(id)) {
            throw new IllegalArgumentException("unknown board '" + id + "'; known boards: " + ids());
        }
        return readBoard(id);
    }

    /** @return every listed board, in id order */
    public static List<Board> all() {
        return ids().stream().map(Boards::load).toList();
    }

    /**
     * Parses a board from an already-parsed configuration (for tests and for board files outside the
     * catalogue). Errors name the configuration's origin.
     *
     * @param config the board object (the content of one board file)
     * @return the board
     * @throws BoardConfigException if the configuration is wrong
     */
    public static Board parse(Config config) {
        return parse(config, config.origin().description());
    }

    /**
     * Like {@link #parse(Config)}, naming {@code resource} in errors.
     *
     * @param config   the board object
     * @param resource the name used in error messages
     * @return the board
     */
    public static Board parse(Config config, String resource) {
        try {
            return BoardReader.read(new ConfigNode(config.resolve(), resource, ""));
        } catch (ConfigException e) {
            int line = e.origin() == null ? -1 : e.origin().lineNumber();
            throw new BoardConfigException(resource, line, "", e.getMessage(), e);
        }
    }

    /**
     * Parses a board from HOCON text, naming {@code resource} in errors (syntax errors included).
     *
     * @param hocon    the content of a board file
     * @param resource the name used in error messages
     * @return the board
     * @throws BoardConfigException if the text is not a valid board
     */
    public static Board parseString(String hocon, String resource) {
        Config config;
        try {
            config = ConfigFactory.parseString(hocon,
                    ConfigParseOptions.defaults().setOriginDescription(resource).setSyntax(ConfigSyntax.CONF));
        } catch (ConfigException e) {
            int line = e.origin() == null ? -1 : e.origin().lineNumber();
            throw new BoardConfigException(resource, line, "", e.getMessage(), e);
        }
        return parse(config, resource);
    }

    private static Board readBoard(String id) {
        String resource = "boards/" + id + ".conf";
        Board board = parse(readResource(resource), resource);
        if (!board.id().equals(id)) {
            throw new BoardConfigException(resource, -1, "id",
                    "expected \"" + id + "\" (the file name), got \"" + board.id() + "\"", null);
        }
        return board;
    }

    private static Config readResource(String resource) {
        try {
            return ConfigFactory.parseResources(Boards.class.getClassLoader(), resource,
                    ConfigParseOptions.defaults().setAllowMissing(false).setSyntax(ConfigSyntax.CONF));
        } catch (ConfigException e) {
            int line = e.origin() == null ? -1 : e.origin().lineNumber();
            throw new BoardConfigException(resource, line, "", e.getMessage(), e);
        }
    }

    private static List<String> readIndex() {
        ConfigNode index = new ConfigNode(readResource(INDEX_RESOURCE), INDEX_RESOURCE, "");
        List<String> listed = index.strings("boards");
        TreeSet<String> sorted = new TreeSet<>(listed);
        if (sorted.size() != listed.size()) {
            throw index.error("boards", "duplicate board id in the index");
        }
        for (String id : sorted) {
            if (!id.matches("[a-z0-9][a-z0-9-]*")) {
                throw index.error("boards", "expected ids of lower-case letters, digits and '-', got '" + id + "'");
            }
        }
        return List.copyOf(sorted);
    }
}
