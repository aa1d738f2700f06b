package dev.sel4sim.vmm.boot.fdt;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A device tree node: its name (with the unit address, e.g. {@code "serial@9000000"}; the root's is empty),
 * its properties in blob order and its children in blob order.
 *
 * @param name       the node name
 * @param properties the properties
 * @param children   the subnodes
 */
public record FdtNode(String name, List<FdtProperty> properties, List<FdtNode> children) {

    /** Copies the lists. */
    public FdtNode {
        Objects.requireNonNull(name, "name");
        properties = List.copyOf(properties);
        children = List.copyOf(children);
    }

    /** @return a node with properties and no children */
    public static FdtNode of(String name, FdtProperty... properties) {
        return new FdtNode(name, List.of(properties), List.of());
    }

    /**
     * @param propertyName a property name
     * @return the first property of that name
     */
    public Optional<FdtProperty> property(String propertyName) {
        return properties.stream().filter(p -> p.name().equals(propertyName)).findFirst();
    }

    /**
     * @param childName a full node name, e.g. {@code "cpu@0"}
     * @return the first child of that name
     */
    public Optional<FdtNode> child(String childName) {
        return children.stream().filter(c -> c.name().equals(childName)).findFirst();
    }

    /**
     * Walks down from this node.
     *
     * @param path names separated by {@code /}, e.g. {@code "/cpus/cpu@0"} or {@code "chosen"}; a leading
     *             {@code /} is ignored and {@code "/"} is this node
     * @return the node at that path
     */
    public Optional<FdtNode> find(String path) {
        FdtNode node = this;
        for (String part : path.split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            Optional<FdtNode> next = node.child(part);
            if (next.isEmpty()) {
                return Optional.empty();
            }
            node = next.get();
        }
        return Optional.of(node);
    }

    /** @return the part of the name before {@code @} */
    public String baseName() {
        int at = name.indexOf('@');
        return at < 0 ? name : name.substring(0, at);
    }
}
