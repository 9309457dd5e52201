package org.remcg.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.remcg.io.AtomicFiles;
import org.remcg.io.DataFormatException;
import org.remcg.io.YamlTree;
import org.remcg.model.ForceField.Interaction;
import org.remcg.system.CgTopology;
import org.remcg.system.InteractionKind;
import org.remcg.system.Topology;

/**
 * The model file: a coarse-grained force field in YAML or JSON (same schema; JSON when the name
 * ends in {@code .json}). Keys: {@code temperature} (K), optional {@code exclusions} (bond hops,
 * default 1), optional {@code masses} (bead type to amu, needed for GRO starts), optional
 * {@code molecules} (bonded topology per residue name for GRO starts: {@code {residue, bonds,
 * angles, dihedrals}} with 1-based atom positions inside the residue), and {@code interactions}, a
 * list of {@code {type: pair|bond|angle|dihedral, beads: [...], cutoff, shift, potential}}.
 * Potentials: {@code lj {epsilon, sigma}}, {@code mie {epsilon, sigma, n, m}}, {@code harmonic {k,
 * r0}} (or {@code theta0} for angles, radians), {@code bspline {min, max, coefficients}},
 * {@code table {file, interpolation: cubic|linear}} (columns x U [F], path relative to the model
 * file), {@code fourier {k: [...], n: [...], delta: [...]}} (radians). Unknown keys are errors naming
 * the key and the file.
 */
public final class ModelFile {

    /** Bonded topology of one residue type, 0-based positions inside the residue. */
    public record MoleculeSpec(String residue, int[][] bonds, int[][] angles, int[][] dihedrals) {
    }

    /** A parsed model: the force field, masses per bead type and bonded templates per residue. */
    public record Model(ForceField forceField, Map<String, Double> masses, List<MoleculeSpec> molecules) {

        /**
         * The CG topology of a structure (e.g. a GRO start): atom names are bead types and residues molecules; masses
         * come from the model (else from the structure) and bonded terms from the model's template for the residue name.
         * An {@link IllegalArgumentException} names a bead without a mass or a template that does not fit its residue.
         */
        public CgTopology topology(Topology t) {
            Map<String, MoleculeSpec> byRes = new java.util.HashMap<>();
            for (MoleculeSpec s : molecules) {
                byRes.put(s.residue(), s);
            }
            CgTopology.Builder b = new CgTopology.Builder();
            int n = t.atoms();
            List<Integer> templated = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                boolean newRes = i == 0 || t.residueNumber(i) != t.residueNumber(i - 1) || !t.residueName(i).equals(t.residueName(i - 1));
                if (newRes) {
                    b.molecule();
                    if (byRes.containsKey(t.residueName(i))) {
                        templated.add(i);
                    }
                }
                Double mass = masses.get(t.atomName(i));
                if (mass == null) {
                    mass = Double.isNaN(t.mass(i)) ? null : t.mass(i);
                }
                if (mass == null) {
                    throw new IllegalArgumentException("no mass for bead type " + t.atomName(i) + " (atom " + (i + 1)
                            + "): add it under 'masses' in the model file");
                }
                b.particle(t.atomName(i), t.atomName(i), mass);
            }
            for (int first : templated) {
                MoleculeSpec spec = byRes.get(t.residueName(first));
                int size = 0;
                while (first + size < n && t.residueNumber(first + size) == t.residueNumber(first)
                        && t.residueName(first + size).equals(t.residueName(first))) {
                    size++;
                }
                for (int[] q : spec.bonds()) {
                    check(q, size, spec, first);
                    b.bond(first + q[0], first + q[1], t.atomName(first + q[0]) + "-" + t.atomName(first + q[1]));
                }
                for (int[] q : spec.angles()) {
                    check(q, size, spec, first);
                    b.angle(first + q[0], first + q[1], first + q[2], "angle");
                }
                for (int[] q : spec.dihedrals()) {
                    check(q, size, spec, first);
                    b.dihedral(first + q[0], first + q[1], first + q[2], first + q[3], "dihedral");
                }
            }
            return b.build();
        }

        private static void check(int[] q, int size, MoleculeSpec spec, int first) {
            for (int a : q) {
                if (a >= size) {
                    throw new IllegalArgumentException("residue " + spec.residue() + " at atom " + (first + 1) + " has " + size
                            + " atoms, but the model's molecules entry names atom " + (a + 1));
                }
            }
        }
    }

    private ModelFile() {
    }

    static ObjectMapper mapper(Path file) {
        return file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".json") ? new ObjectMapper()
                : new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));
    }

    public static Model read(Path file) throws IOException, DataFormatException {
        boolean json = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".json");
        JsonNode root = YamlTree.readTree(mapper(file), file, json ? "JSON" : "YAML");
        Ctx c = new Ctx(file);
        if (root == null || !root.isObject()) {
            throw c.err("", "expected a mapping with temperature and interactions");
        }
        c.keys(root, "", Set.of("temperature", "exclusions", "masses", "molecules", "interactions"));
        ForceField.Builder b = ForceField.builder();
        b.temperature(c.num(root, "temperature", ""));
        if (root.has("exclusions")) {
            b.exclusionHops((int) c.num(root, "exclusions", ""));
        }
        Map<String, Double> masses = new LinkedHashMap<>();
        if (root.has("masses")) {
            JsonNode m = root.get("masses");
            if (!m.isObject()) {
                throw c.err("masses", "expected a mapping from bead type to mass");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isNumber() || !(e.getValue().asDouble() > 0)) {
                    throw c.err("masses." + e.getKey(), "expected a positive mass in amu");
                }
                masses.put(e.getKey(), e.getValue().asDouble());
            }
        }
        List<MoleculeSpec> mols = new ArrayList<>();
        if (root.has("molecules")) {
            JsonNode ms = root.get("molecules");
            if (!ms.isArray()) {
                throw c.err("molecules", "expected a list");
            }
            for (int i = 0; i < ms.size(); i++) {
                String at = "molecules[" + i + "]";
                JsonNode m = ms.get(i);
                c.keys(m, at, Set.of("residue", "bonds", "angles", "dihedrals"));
                mols.add(new MoleculeSpec(c.str(m, "residue", at), c.tuples(m, "bonds", at, 2), c.tuples(m, "angles", at, 3),
                        c.tuples(m, "dihedrals", at, 4)));
            }
        }
        JsonNode list = root.get("interactions");
        if (list == null || !list.isArray()) {
            throw c.err("interactions", "expected a list of interactions");
        }
        for (int i = 0; i < list.size(); i++) {
            String at = "interactions[" + i + "]";
            JsonNode in = list.get(i);
            c.keys(in, at, Set.of("type", "beads", "cutoff", "shift", "potential"));
            InteractionKind kind;
            String t = c.str(in, "type", at);
            try {
                kind = InteractionKind.parse(t);
            } catch (IllegalArgumentException e) {
                throw c.err(at + ".type", "expected pair, bond, angle or dihedral, got '" + t + "'");
            }
            JsonNode beads = in.get("beads");
            if (beads == null || !beads.isArray() || beads.size() != kind.beads()) {
                throw c.err(at + ".beads", "a " + t + " needs a list of " + kind.beads() + " bead types");
            }
            List<String> bl = new ArrayList<>();
            beads.forEach(x -> bl.add(x.asText()));
            double cutoff = Double.NaN;
            boolean shift = false;
            if (kind == InteractionKind.PAIR) {
                cutoff = c.num(in, "cutoff", at);
                shift = in.has("shift") && in.get("shift").asBoolean();
            } else if (in.has("cutoff") || in.has("shift")) {
                throw c.err(at, "cutoff and shift belong to pair interactions only");
            }
            Potential p = potential(c, in.get("potential"), at + ".potential", kind);
            try {
                b.add(new Interaction(kind, bl, cutoff, shift, p));
            } catch (IllegalArgumentException e) {
                throw c.err(at, e.getMessage());
            }
        }
        try {
            return new Model(b.build(), masses, mols);
        } catch (IllegalArgumentException e) {
            throw new DataFormatException(file, 0, e.getMessage());
        }
    }

    private static Potential potential(Ctx c, JsonNode p, String at, InteractionKind kind) throws IOException, DataFormatException {
        if (p == null || !p.isObject()) {
            throw c.err(at, "expected a mapping with a kind");
        }
        String k = c.str(p, "kind", at);
        try {
            switch (k) {
                case "lj" -> {
                    c.keys(p, at, Set.of("kind", "epsilon", "sigma"));
                    return MiePotential.lennardJones(c.num(p, "epsilon", at), c.num(p, "sigma", at));
                }
                case "mie" -> {
                    c.keys(p, at, Set.of("kind", "epsilon", "sigma", "n", "m"));
                    return new MiePotential(c.num(p, "epsilon", at), c.num(p, "sigma", at), c.num(p, "n", at), c.num(p, "m", at));
                }
                case "harmonic" -> {
                    String x0 = kind == InteractionKind.ANGLE ? "theta0" : "r0";
                    c.keys(p, at, Set.of("kind", "k", x0));
                    return new HarmonicPotential(c.num(p, "k", at), c.num(p, x0, at));
                }
                case "bspline" -> {
                    c.keys(p, at, Set.of("kind", "min", "max", "coefficients"));
                    double[] coef = c.nums(p, "coefficients", at);
                    return new SplinePotential(new CubicBSpline(coef.length, c.num(p, "min", at), c.num(p, "max", at)), coef);
                }
                case "fourier" -> {
                    c.keys(p, at, Set.of("kind", "k", "n", "delta"));
                    double[] nn = c.nums(p, "n", at);
                    int[] n = new int[nn.length];
                    for (int i = 0; i < n.length; i++) {
                        n[i] = (int) nn[i];
                        if (n[i] != nn[i]) {
                            throw c.err(at + ".n", "multiplicities must be integers");
                        }
                    }
                    return new FourierDihedral(c.nums(p, "k", at), n, c.nums(p, "delta", at));
                }
                case "table" -> {
                    c.keys(p, at, Set.of("kind", "file", "interpolation"));
                    String interp = p.has("interpolation") ? p.get("interpolation").asText() : "cubic";
                    if (!interp.equals("cubic") && !interp.equals("linear")) {
                        throw c.err(at + ".interpolation", "expected cubic or linear, got '" + interp + "'");
                    }
                    Path tf = c.file.toAbsolutePath().getParent().resolve(c.str(p, "file", at));
                    if (!Files.isRegularFile(tf)) {
                        throw c.err(at + ".file", (Files.isDirectory(tf) ? "is a directory, not a file: " : "no such file: ") + tf);
                    }
                    return readTable(tf, interp.equals("linear"));
                }
                default -> throw c.err(at + ".kind", "expected lj, mie, harmonic, bspline, table or fourier, got '" + k + "'");
            }
        } catch (IllegalArgumentException e) {
            throw c.err(at, e.getMessage());
        }
    }

    /** Reads a table of columns x U [F] (whitespace or commas; # comments and a non-numeric header line skipped). */
    public static TablePotential readTable(Path file, boolean linear) throws IOException, DataFormatException {
        List<double[]> rows = new ArrayList<>();
        int cols = -1;
        int ln = 0;
        for (String line : Files.readAllLines(file)) {
            ln++;
            int h = line.indexOf('#');
            String s = (h >= 0 ? line.substring(0, h) : line).trim();
            if (s.isEmpty()) {
                continue;
            }
            String[] f = s.split("[\\s,]+");
            double[] r = new double[f.length];
            try {
                for (int k = 0; k < f.length; k++) {
                    r[k] = Double.parseDouble(f[k]);
                }
            } catch (NumberFormatException e) {
                if (rows.isEmpty() && cols < 0) {
                    cols = 0;
                    continue; // header line
                }
                throw new DataFormatException(file, ln, "expected numbers x U [F], got '" + s + "'");
            }
            if (f.length < 2 || f.length > 3 || (cols > 0 && f.length != cols)) {
                throw new DataFormatException(file, ln, "expected 2 or 3 columns (x U [F]) on every line, got " + f.length);
            }
            cols = f.length;
            rows.add(r);
        }
        if (rows.size() < 2) {
            throw new DataFormatException(file, 0, "a table needs at least 2 rows");
        }
        double[] x = new double[rows.size()];
        double[] u = new double[rows.size()];
        double[] fo = cols == 3 ? new double[rows.size()] : null;
        for (int i = 0; i < x.length; i++) {
            x[i] = rows.get(i)[0];
            u[i] = rows.get(i)[1];
            if (fo != null) {
                fo[i] = rows.get(i)[2];
            }
        }
        try {
            return new TablePotential(x, u, fo, linear);
        } catch (IllegalArgumentException e) {
            throw new DataFormatException(file, 0, e.getMessage());
        }
    }

    /**
     * Writes a force field in the same schema (tables as {@code table-<name>.csv} beside the model
     * file). Written atomically.
     */
    public static void write(Path file, ForceField ff, Map<String, Double> masses) throws IOException {
        ObjectMapper om = mapper(file);
        ObjectNode root = om.createObjectNode();
        root.put("temperature", ff.temperature());
        root.put("exclusions", ff.exclusionHops());
        if (masses != null && !masses.isEmpty()) {
            ObjectNode m = root.putObject("masses");
            masses.forEach(m::put);
        }
        ArrayNode list = root.putArray("interactions");
        for (Interaction in : ff.interactions()) {
            ObjectNode o = list.addObject();
            o.put("type", in.kind().key());
            ArrayNode b = o.putArray("beads");
            in.beads().forEach(b::add);
            if (in.kind() == InteractionKind.PAIR) {
                o.put("cutoff", in.cutoff());
                if (in.shift()) {
                    o.put("shift", true);
                }
            }
            ObjectNode p = o.putObject("potential");
            Potential pot = in.potential();
            if (pot instanceof MiePotential mie) {
                if (mie.isLennardJones()) {
                    p.put("kind", "lj");
                } else {
                    p.put("kind", "mie");
                }
                p.put("epsilon", mie.epsilon());
                p.put("sigma", mie.sigma());
                if (!mie.isLennardJones()) {
                    p.put("n", mie.repulsiveExponent());
                    p.put("m", mie.attractiveExponent());
                }
            } else if (pot instanceof HarmonicPotential h) {
                p.put("kind", "harmonic");
                p.put("k", h.k());
                p.put(in.kind() == InteractionKind.ANGLE ? "theta0" : "r0", h.x0());
            } else if (pot instanceof SplinePotential s) {
                p.put("kind", "bspline");
                p.put("min", s.basis().lower());
                p.put("max", s.basis().upper());
                ArrayNode c = p.putArray("coefficients");
                for (double v : s.coefficients()) {
                    c.add(v);
                }
            } else if (pot instanceof FourierDihedral fd) {
                p.put("kind", "fourier");
                ArrayNode k = p.putArray("k");
                ArrayNode n = p.putArray("n");
                ArrayNode d = p.putArray("delta");
                for (int i = 0; i < fd.k().length; i++) {
                    k.add(fd.k()[i]);
                    n.add(fd.n()[i]);
                    d.add(fd.delta()[i]);
                }
            } else if (pot instanceof TablePotential t) {
                String name = "table-" + in.kind().key() + "-" + String.join("-", in.beads()) + ".csv";
                StringBuilder sb = new StringBuilder("x,U,F\n");
                double[] x = t.x();
                double[] u = t.energies();
                double[] f = t.forces();
                for (int i = 0; i < x.length; i++) {
                    sb.append(x[i]).append(',').append(u[i]).append(',').append(f[i]).append('\n');
                }
                AtomicFiles.writeString(file.toAbsolutePath().getParent().resolve(name), sb.toString());
                p.put("kind", "table");
                p.put("file", name);
                if (t.linear()) {
                    p.put("interpolation", "linear");
                }
            } else {
                throw new IllegalArgumentException("cannot write potential " + pot.describe());
            }
        }
        byte[] bytes = om.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        AtomicFiles.write(file, out -> out.write(bytes));
    }

    /** Error context: the file. */
    private record Ctx(Path file) {
        DataFormatException err(String at, String msg) {
            return new DataFormatException(file, 0, (at.isEmpty() ? "" : at + ": ") + msg);
        }

        void keys(JsonNode n, String at, Set<String> allowed) throws DataFormatException {
            if (!n.isObject()) {
                throw err(at, "expected a mapping");
            }
            for (Iterator<String> it = n.fieldNames(); it.hasNext();) {
                String k = it.next();
                if (!allowed.contains(k)) {
                    throw err(at, "unknown key '" + k + "' (expected one of " + new java.util.TreeSet<>(allowed) + ")");
                }
            }
        }

        double num(JsonNode n, String key, String at) throws DataFormatException {
            JsonNode v = n.get(key);
            if (v == null || !v.isNumber()) {
                throw err(at.isEmpty() ? key : at + "." + key, v == null ? "missing number" : "expected a number, got " + v);
            }
            return v.asDouble();
        }

        String str(JsonNode n, String key, String at) throws DataFormatException {
            JsonNode v = n.get(key);
            if (v == null || !v.isValueNode()) {
                throw err(at + "." + key, "missing text value");
            }
            return v.asText();
        }

        double[] nums(JsonNode n, String key, String at) throws DataFormatException {
            JsonNode v = n.get(key);
            if (v == null || !v.isArray() || v.size() == 0) {
                throw err(at + "." + key, "expected a non-empty list of numbers");
            }
            double[] r = new double[v.size()];
            for (int i = 0; i < r.length; i++) {
                if (!v.get(i).isNumber()) {
                    throw err(at + "." + key + "[" + i + "]", "expected a number, got " + v.get(i));
                }
                r[i] = v.get(i).asDouble();
            }
            return r;
        }

        int[][] tuples(JsonNode n, String key, String at, int len) throws DataFormatException {
            JsonNode v = n.get(key);
            if (v == null) {
                return new int[0][];
            }
            if (!v.isArray()) {
                throw err(at + "." + key, "expected a list of " + len + "-element lists");
            }
            int[][] r = new int[v.size()][len];
            for (int i = 0; i < r.length; i++) {
                JsonNode t = v.get(i);
                if (!t.isArray() || t.size() != len) {
                    throw err(at + "." + key + "[" + i + "]", "expected " + len + " atom positions (1-based)");
                }
                for (int k = 0; k < len; k++) {
                    if (!t.get(k).isInt() || t.get(k).asInt() < 1) {
                        throw err(at + "." + key + "[" + i + "]", "atom positions are integers from 1");
                    }
                    r[i][k] = t.get(k).asInt() - 1;
                }
            }
            return r;
        }
    }
}
