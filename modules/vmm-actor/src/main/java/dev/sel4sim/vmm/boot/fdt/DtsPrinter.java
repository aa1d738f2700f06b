package dev.sel4sim.vmm.boot.fdt;

import java.util.List;
import java.util.Optional;

/**
 * Renders a tree as device tree source, for debug dumps and for checking a blob with {@code dtc}.
 *
 * <p>A value is shown as strings when every byte is printable ASCII and it splits into non-empty
 * NUL-terminated strings, as cells when its length is a multiple of four, and as bytes otherwise: the same
 * guesses {@code dtc -O dts} makes, so the text compiles back to the same bytes.
 */
final class DtsPrinter {

    private DtsPrinter() {
    }

    static String print(FdtTree tree) {
        StringBuilder out = new StringBuilder("/dts-v1/;\n\n");
        for (FdtReservation r : tree.reservations()) {
            out.append("/memreserve/ ").append(hex(r.address())).append(' ').append(hex(r.size())).append(";\n");
        }
        if (!tree.reservations().isEmpty()) {
            out.append('\n');
        }
        node(out, tree.root(), 0, true);
        return out.toString();
    }

    private static void node(StringBuilder out, FdtNode node, int depth, boolean root) {
        indent(out, depth).append(root ? "/" : node.name()).append(" {\n");
        for (FdtProperty p : node.properties()) {
            indent(out, depth + 1).append(p.name());
            if (p.length() > 0) {
                out.append(" = ").append(value(p));
            }
            out.append(";\n");
        }
        for (int i = 0; i < node.children().size(); i++) {
            if (i > 0 || !node.properties().isEmpty()) {
                out.append('\n');
            }
            node(out, node.children().get(i), depth + 1, false);
        }
        indent(out, depth).append("};\n");
    }

    private static String value(FdtProperty p) {
        byte[] bytes = p.value();
        Optional<List<String>> strings = p.strings();
        if (strings.isPresent() && printable(bytes)) {
            StringBuilder sb = new StringBuilder();
            for (String s : strings.get()) {
                if (!sb.isEmpty()) {
                    sb.append(", ");
                }
                sb.append('"').append(s.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
            return sb.toString();
        }
        Optional<int[]> cells = p.cells();
        if (cells.isPresent()) {
            StringBuilder sb = new StringBuilder("<");
            for (int cell : cells.get()) {
                if (sb.length() > 1) {
                    sb.append(' ');
                }
                sb.append("0x").append(Integer.toHexString(cell));
            }
            return sb.append('>').toString();
        }
        StringBuilder sb = new StringBuilder("[");
        for (byte b : bytes) {
            if (sb.length() > 1) {
                sb.append(' ');
            }
            sb.append(String.format("%02x", b & 0xff));
        }
        return sb.append(']').toString();
    }

    private static boolean printable(byte[] bytes) {
        for (byte b : bytes) {
            if (b != 0 && (b < 0x20 || b > 0x7e)) {
                return false;
            }
        }
        return true;
    }

    private static String hex(long value) {
        return "0x" + Long.toHexString(value);
    }

    private static StringBuilder indent(StringBuilder out, int depth) {
        return out.append("\t".repeat(depth));
    }
}
