package dev.mo.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Represent;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * YAML as kubectl prints it with {@code -o yaml} (sigs.k8s.io/yaml over go-yaml v2): block style,
 * two-space indent, sequences not indented under their key, map keys sorted, no {@code ---},
 * strings that would read back as another type double-quoted ({@code "80"}, {@code "true"},
 * timestamps, {@code ""}), multi-line strings as literal blocks.
 */
public final class KubectlYaml {
    /** go-yaml v2 also reads these as booleans; SnakeYAML (YAML 1.1 without y/n) does not. */
    private static final Set<String> GO_EXTRA_BOOLEANS = Set.of("y", "Y", "n", "N");

    private KubectlYaml() {}

    public static String dump(JsonNode node) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        options.setWidth(80);
        options.setExplicitStart(false);
        Yaml yaml = new Yaml(new QuotingRepresenter(options), options);
        return yaml.dump(toJava(node));
    }

    /** Converts the JSON tree to maps (keys in go-yaml's order), lists and scalars. */
    private static Object toJava(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> map = new TreeMap<>(GO_YAML_KEY_ORDER);
            node.fields().forEachRemaining(e -> map.put(e.getKey(), toJava(e.getValue())));
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(n -> list.add(toJava(n)));
            return list;
        }
        if (node.isTextual()) return node.asText();
        if (node.isBoolean()) return node.asBoolean();
        if (node.isIntegralNumber()) return node.bigIntegerValue().bitLength() < 64 ? (Object) node.asLong() : node.bigIntegerValue();
        if (node.isNumber()) return node.asDouble();
        return null;
    }

    private static final class QuotingRepresenter extends Representer {
        private final Resolver resolver = new Resolver();

        QuotingRepresenter(DumperOptions options) {
            super(options);
            this.representers.put(String.class, new RepresentString());
        }

        private final class RepresentString implements Represent {
            @Override
            public Node representData(Object data) {
                String s = (String) data;
                DumperOptions.ScalarStyle style = DumperOptions.ScalarStyle.PLAIN;
                if (s.contains("\n")) {
                    style = DumperOptions.ScalarStyle.LITERAL;
                } else if (!Tag.STR.equals(resolver.resolve(NodeId.scalar, s, true)) || GO_EXTRA_BOOLEANS.contains(s)) {
                    style = DumperOptions.ScalarStyle.DOUBLE_QUOTED;
                }
                // PLAIN is only a wish: the emitter falls back to single quotes when plain is not possible
                return representScalar(Tag.STR, s, style);
            }
        }
    }

    /**
     * go-yaml v2's key order: character by character, letters before other characters,
     * and runs of digits compared as numbers ({@code item2} before {@code item10}).
     */
    static final Comparator<String> GO_YAML_KEY_ORDER = ((Comparator<String>) KubectlYaml::goYamlLess)
            .thenComparing(Comparator.naturalOrder()); // never call two different keys equal

    private static int goYamlLess(String a, String b) {
        int[] ar = a.codePoints().toArray();
        int[] br = b.codePoints().toArray();
        for (int i = 0; i < ar.length && i < br.length; i++) {
            if (ar[i] == br[i]) continue;
            boolean al = Character.isLetter(ar[i]);
            boolean bl = Character.isLetter(br[i]);
            if (al && bl) return Integer.compare(ar[i], br[i]);
            if (al || bl) return bl ? -1 : 1;
            long an = 0;
            long bn = 0;
            if (ar[i] == '0' || br[i] == '0') {
                for (int j = i - 1; j >= 0 && Character.isDigit(ar[j]); j--) {
                    if (ar[j] != '0') { an = 1; bn = 1; break; }
                }
            }
            int ai = i;
            for (; ai < ar.length && Character.isDigit(ar[ai]); ai++) an = an * 10 + (ar[ai] - '0');
            int bi = i;
            for (; bi < br.length && Character.isDigit(br[bi]); bi++) bn = bn * 10 + (br[bi] - '0');
            if (an != bn) return Long.compare(an, bn);
            if (ai != bi) return Integer.compare(ai, bi);
            return Integer.compare(ar[i], br[i]);
        }
        return Integer.compare(ar.length, br.length);
    }
}
