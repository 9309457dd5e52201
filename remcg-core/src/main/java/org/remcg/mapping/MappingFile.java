package org.remcg.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.remcg.io.DataFormatException;
import org.remcg.io.YamlTree;

/**
 * Reads an atom-to-bead mapping from YAML:
 *
 * <pre>
 * molecules:
 *   SOL:                      # residue name (or GROMACS molecule type name)
 *     beads:
 *       - {name: W, type: W, atoms: [OW, HW1, HW2], weights: mass}   # mass | geometry | [w1, w2, ...]
 *     bonds: []               # pairs of bead names, e.g. [[B1, B2]]
 *     angles: []              # triples
 *     dihedrals: []           # quadruples
 * </pre>
 *
 * A bead's {@code type} defaults to its name and {@code weights} to {@code mass}. Unknown keys,
 * duplicate keys, missing required ones and malformed tuples are {@link DataFormatException}s
 * naming the file, the key path and, for syntax errors, the line. Whether the names exist in the
 * fine topology is checked later, by {@link org.remcg.mapping.Mapper}.
 */
public final class MappingFile {

    private MappingFile() {
    }

    /** Parses the mapping file. */
    public static MappingSpec read(Path file) throws IOException, DataFormatException {
        return parse(file, new YamlTree(file).read("a 'molecules' map"));
    }

    /** Builds the mapping from an already parsed tree (for configuration files that embed a mapping). */
    public static MappingSpec parse(Path file, JsonNode root) throws DataFormatException {
        Reader r = new Reader(file);
        r.keys(root, "", Set.of("molecules"));
        JsonNode mols = root.get("molecules");
        if (mols == null || !mols.isObject() || mols.isEmpty()) {
            throw r.error("molecules", "needs a map from molecule (residue) names to their beads");
        }
        List<MoleculeSpec> out = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = mols.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            out.add(r.molecule(e.getKey(), e.getValue()));
        }
        return new MappingSpec(out);
    }

    private static final class Reader {
        final YamlTree y;

        Reader(Path file) {
            this.y = new YamlTree(file);
        }

        DataFormatException error(String path, String problem) {
            return y.error(path, problem);
        }

        void keys(JsonNode node, String path, Set<String> allowed) throws DataFormatException {
            y.keys(node, path, allowed);
        }

        String text(JsonNode n, String path) throws DataFormatException {
            return y.text(n, path);
        }

        MoleculeSpec molecule(String name, JsonNode node) throws DataFormatException {
            String path = "molecules." + name;
            keys(node, path, Set.of("beads", "bonds", "angles", "dihedrals"));
            JsonNode beads = node.get("beads");
            if (beads == null || !beads.isArray() || beads.isEmpty()) {
                throw error(path + ".beads", "molecule " + name + " needs a list of beads");
            }
            List<BeadSpec> out = new ArrayList<>();
            for (int i = 0; i < beads.size(); i++) {
                out.add(bead(path + ".beads[" + i + "]", beads.get(i)));
            }
            return new MoleculeSpec(name, out, tuples(name, path, node.get("bonds"), "bonds", 2), tuples(name, path, node.get("angles"), "angles", 3),
                    tuples(name, path, node.get("dihedrals"), "dihedrals", 4));
        }

        BeadSpec bead(String path, JsonNode node) throws DataFormatException {
            keys(node, path, Set.of("name", "type", "atoms", "weights"));
            String name = text(node.get("name"), path + ".name");
            String type = node.has("type") ? text(node.get("type"), path + ".type") : name;
            JsonNode atoms = node.get("atoms");
            if (atoms == null || !atoms.isArray() || atoms.isEmpty()) {
                throw error(path + ".atoms", "bead " + name + " needs a list of atom names");
            }
            List<String> names = new ArrayList<>();
            for (int i = 0; i < atoms.size(); i++) {
                names.add(text(atoms.get(i), path + ".atoms[" + i + "]"));
            }
            JsonNode w = node.get("weights");
            Weights weights;
            if (w == null || w.isNull()) {
                weights = Weights.MASS;
            } else if (w.isTextual() && w.asText().equals("mass")) {
                weights = Weights.MASS;
            } else if (w.isTextual() && w.asText().equals("geometry")) {
                weights = Weights.GEOMETRY;
            } else if (w.isArray()) {
                double[] v = new double[w.size()];
                for (int i = 0; i < v.length; i++) {
                    if (!w.get(i).isNumber()) {
                        throw error(path + ".weights[" + i + "]", "must be a number, got " + w.get(i));
                    }
                    v[i] = w.get(i).asDouble();
                }
                weights = new Weights.Explicit(v);
            } else {
                throw error(path + ".weights", "must be mass, geometry or a list of numbers, got " + w);
            }
            return new BeadSpec(name, type, names, weights);
        }

        List<List<String>> tuples(String molecule, String path, JsonNode node, String key, int size) throws DataFormatException {
            List<List<String>> out = new ArrayList<>();
            if (node == null || node.isNull()) {
                return out;
            }
            String p = path + "." + key;
            if (!node.isArray()) {
                throw error(p, "molecule " + molecule + ": " + key + " must be a list of " + size + "-element lists of bead names");
            }
            for (int i = 0; i < node.size(); i++) {
                JsonNode t = node.get(i);
                if (!t.isArray() || t.size() != size) {
                    throw error(p + "[" + i + "]", "molecule " + molecule + ": each of its " + key + " lists " + size + " bead names, got " + t);
                }
                List<String> names = new ArrayList<>();
                for (int k = 0; k < size; k++) {
                    names.add(text(t.get(k), p + "[" + i + "][" + k + "]"));
                }
                out.add(names);
            }
            return out;
        }
    }
}
