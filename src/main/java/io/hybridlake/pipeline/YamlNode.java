package io.hybridlake.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** A YAML node with its line number and dotted path, so every error says file:line and field. */
final class YamlNode {
    final String file;
    final String path;
    final Node node;

    YamlNode(String file, String path, Node node) {
        this.file = file;
        this.path = path;
        this.node = node;
    }

    int line() {
        return node.getStartMark().getLine() + 1;
    }

    PipelineSpecException error(String message) {
        return new PipelineSpecException(file, line(), path, message);
    }

    Map<String, YamlNode> map(Set<String> allowedKeys) {
        if (!(node instanceof MappingNode m)) {
            throw error("expected a mapping (key: value)");
        }
        Map<String, YamlNode> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            YamlNode key = new YamlNode(file, path, t.getKeyNode());
            String k = key.string();
            String childPath = path.isEmpty() ? k : path + "." + k;
            if (allowedKeys != null && !allowedKeys.contains(k)) {
                throw new PipelineSpecException(file, key.line(), childPath,
                        "unknown key '" + k + "'; expected one of " + allowedKeys);
            }
            out.put(k, new YamlNode(file, childPath, t.getValueNode()));
        }
        return out;
    }

    List<YamlNode> list() {
        if (node instanceof ScalarNode) {
            return List.of(this); // a single value where a list is allowed
        }
        if (!(node instanceof SequenceNode s)) {
            throw error("expected a list");
        }
        List<YamlNode> out = new ArrayList<>();
        for (int i = 0; i < s.getValue().size(); i++) {
            out.add(new YamlNode(file, path + "[" + i + "]", s.getValue().get(i)));
        }
        return out;
    }

    String string() {
        if (!(node instanceof ScalarNode s)) {
            throw error("expected a single value");
        }
        return s.getValue();
    }

    List<String> strings() {
        return list().stream().map(YamlNode::string).toList();
    }

    double number() {
        try {
            return Double.parseDouble(string());
        } catch (NumberFormatException e) {
            throw error("expected a number but found '" + string() + "'");
        }
    }

    boolean bool() {
        String s = string();
        if (!s.equals("true") && !s.equals("false")) {
            throw error("expected true or false but found '" + s + "'");
        }
        return Boolean.parseBoolean(s);
    }
}
