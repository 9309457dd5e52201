package org.remcg.fit.problem;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.remcg.fit.TargetDistribution;
import org.remcg.io.DataFormatException;
import org.remcg.io.YamlTree;
import org.remcg.system.InteractionKind;

/**
 * The configuration of a molecular fit: plain records that a {@link FitProblem} is built from, and their
 * YAML file ({@link #read}, documented in docs/CONFIG.md). Paths are relative to the configuration file.
 * Every key is checked: unknown keys, wrong types, missing files and inconsistent choices are errors
 * naming the file and the key path.
 */
public record FitConfig(Path file, double temperature, String method, Reference reference, SystemSpec system,
                        List<InteractionSpec> interactions, EngineSpec engine, OptimizerSpec optimizer, double roughness, double ridge,
                        Path outputDir, SamplerSpec sampler) {

    /** Where the target statistics come from. */
    public record Reference(Path trajectory, Path cgTrajectory, Path topology, Path gromacsTopology, Path mapping, String format, int begin,
                            int end, int stride, int exclusionHops) {
        public boolean hasTrajectory() {
            return trajectory != null || cgTrajectory != null;
        }
    }

    /** The CG system: start configuration and bead masses (amu). */
    public record SystemSpec(Path configuration, Map<String, Double> masses) {
    }

    /** A cubic B-spline basis. */
    public record BasisSpec(int knots, double min, double max) {
    }

    /**
     * One interaction: its kind, bead types, cutoff (pairs), basis, optional target file, where its bins lie and which
     * of its columns holds the bins' standard errors (1-based; 0: none, the values are taken as exact).
     */
    public record InteractionSpec(InteractionKind kind, List<String> beads, double cutoff, BasisSpec basis, Path target,
                                  TargetDistribution.Bins bins, int errorColumn) {
        public String name() {
            return kind.key() + " " + String.join("-", beads);
        }
    }

    /** Steps between identity-swap sweeps in mixtures of one-bead molecules (0: none). */
    public static final int DEFAULT_SWAP_EVERY = 50;

    public record EngineSpec(double dt, double friction, long steps, long equilibrate, int sampleEvery, long seed, int threads, int swapEvery) {
    }

    /** Default shortest simulation, a fraction of engine.steps. */
    public static final double DEFAULT_MIN_LENGTH = 0.25;

    /**
     * @param maxSimulations      simulation budget (the config key is max_iterations)
     * @param essMin              ESS floor for reweighted Newton steps
     * @param newtonPerSimulation Newton iterations on one simulation's frames at most
     * @param maxStep             cap on any coefficient's change per step (kT)
     * @param trustRadius         initial trust radius (nats of predicted model-to-model relative entropy per step)
     * @param minLength           shortest simulation as a fraction of engine.steps (adaptive lengths; 1: all full)
     * @param start               hnc (HNC inversion where it applies, else Boltzmann) or boltzmann
     * @param hessianPrior        what a sampled Hessian is shrunk towards: hnc (the HNC linear response of the targets where
     *                            it applies, else the diagonal) or diagonal
     */
    public record OptimizerSpec(int maxSimulations, double essMin, int newtonPerSimulation, double maxStep, double trustRadius, double minLength,
                                String start, String hessianPrior, double targetTolerance) {
    }

    private static final Set<String> TOP = Set.of("temperature", "method", "reference", "system", "interactions", "engine", "optimizer",
            "regularization", "output", "sampler");

    public static FitConfig read(Path file) throws IOException, DataFormatException {
        YamlTree y = new YamlTree(file);
        JsonNode root = y.read("at least 'temperature', 'interactions' and a reference or targets");
        y.keys(root, "", TOP);
        double temperature = y.requiredPositive(root, "temperature", "", "K");
        String method = root.has("method") ? y.text(root.get("method"), "method") : "rem";
        if (!method.equals("rem") && !method.equals("force-matching")) {
            throw y.error("method", "must be rem or force-matching, got " + method);
        }
        Reference ref = reference(y, root.get("reference"));
        SystemSpec sys = system(y, root.get("system"));
        List<InteractionSpec> interactions = interactions(y, root.get("interactions"));
        for (InteractionSpec i : interactions) {
            if (i.target() == null && !ref.hasTrajectory()) {
                throw y.error("interactions", i.name() + " has no target file and there is no reference trajectory to measure it from");
            }
        }
        if (!ref.hasTrajectory() && sys.configuration() == null) {
            throw y.error("system.configuration", "with target files only, a CG start configuration is needed (beads, box)");
        }
        JsonNode e = root.get("engine");
        if (e != null) {
            y.keys(e, "engine", Set.of("dt", "friction", "steps", "equilibrate", "sample_every", "seed", "threads", "swap_every"));
        }
        EngineSpec engine = new EngineSpec(y.positive(e, "dt", "engine", 0.002), y.positive(e, "friction", "engine", 5.0),
                y.integer(e, "steps", "engine", 50_000, 1, Long.MAX_VALUE / 2), y.integer(e, "equilibrate", "engine", 5_000, 0, Long.MAX_VALUE / 2),
                (int) y.integer(e, "sample_every", "engine", 50, 1, Integer.MAX_VALUE), y.integer(e, "seed", "engine", 1, Long.MIN_VALUE, Long.MAX_VALUE),
                (int) y.integer(e, "threads", "engine", Math.min(2, org.remcg.system.Cpus.available()), 1, 1024),
                (int) y.integer(e, "swap_every", "engine", DEFAULT_SWAP_EVERY, 0, Integer.MAX_VALUE));
        if (engine.steps() / engine.sampleEvery() < 20) {
            throw y.error("engine.steps", "gives only " + engine.steps() / engine.sampleEvery() + " sampled frames; need at least 20 (steps / sample_every)");
        }
        long frames = engine.steps() / engine.sampleEvery();
        long features = interactions.stream().mapToLong(i -> i.basis().knots()).sum();
        if (frames * features > Integer.MAX_VALUE - 8L) {
            throw y.error("engine.steps", "gives " + frames + " frames of " + features + " features each (steps / sample_every), more than the "
                    + "2^31 numbers a simulation's frames can hold; raise engine.sample_every");
        }
        // the frames' features are kept for reweighting, in an array that grows by doubling
        String memory = org.remcg.system.Memory.tooLarge(24.0 * frames * features);
        if (memory != null) {
            throw y.error("engine.steps", frames + " frames of " + features + " features each (steps / sample_every) " + memory
                    + "; raise engine.sample_every (or give Java more memory, e.g. REMCG_JAVA_OPTS=-Xmx16g for the remcg launcher)");
        }
        JsonNode o = root.get("optimizer");
        if (o != null) {
            y.keys(o, "optimizer", Set.of("max_iterations", "ess_min", "newton_per_simulation", "max_step", "trust_radius", "min_length",
                    "start", "hessian_prior", "target_tolerance"));
        }
        double essMin = y.number(o, "ess_min", "optimizer", 0.5);
        if (!(essMin > 0 && essMin < 1)) {
            throw y.error("optimizer.ess_min", "must be between 0 and 1 (exclusive), got " + essMin);
        }
        OptimizerSpec opt = new OptimizerSpec((int) y.integer(o, "max_iterations", "optimizer", 30, 1, 100_000), essMin,
                (int) y.integer(o, "newton_per_simulation", "optimizer", 20, 1, 1000),
                y.positive(o, "max_step", "optimizer", org.remcg.optimize.IterativeRem.DEFAULT_MAX_STEP),
                o != null && o.has("trust_radius") ? y.positive(o, "trust_radius", "optimizer", Double.NaN) : Double.NaN,
                y.positive(o, "min_length", "optimizer", DEFAULT_MIN_LENGTH),
                o != null && o.has("start") ? y.text(o.get("start"), "optimizer.start") : "hnc",
                o != null && o.has("hessian_prior") ? y.text(o.get("hessian_prior"), "optimizer.hessian_prior") : "hnc",
                y.positive(o, "target_tolerance", "optimizer", 1.0));
        if (!opt.start().equals("hnc") && !opt.start().equals("boltzmann")) {
            throw y.error("optimizer.start", "must be hnc or boltzmann, got " + opt.start());
        }
        if (!opt.hessianPrior().equals("hnc") && !opt.hessianPrior().equals("diagonal")) {
            throw y.error("optimizer.hessian_prior", "must be hnc or diagonal, got " + opt.hessianPrior());
        }
        if (!(opt.targetTolerance() <= 10)) {
            throw y.error("optimizer.target_tolerance", "is in units of the target's standard errors, at most 10, got " + opt.targetTolerance());
        }
        if (!(opt.minLength() <= 1)) {
            throw y.error("optimizer.min_length", "is a fraction of engine.steps, at most 1, got " + opt.minLength());
        }
        JsonNode r = root.get("regularization");
        if (r != null) {
            y.keys(r, "regularization", Set.of("roughness", "ridge"));
        }
        double rough = y.number(r, "roughness", "regularization", 0);
        double ridge = y.number(r, "ridge", "regularization", 0);
        if (rough < 0 || ridge < 0) {
            throw y.error("regularization", "penalties cannot be negative");
        }
        JsonNode out = root.get("output");
        if (out != null) {
            y.keys(out, "output", Set.of("dir"));
        }
        Path dir = y.path(out, "dir", "output");
        if (dir == null) {
            dir = file.toAbsolutePath().getParent().resolve("out");
        }
        SamplerSpec sampler = SamplerSpec.read(y, root.get("sampler"));
        if (method.equals("force-matching") && root.has("sampler")) {
            throw y.error("sampler", "applies to method rem (force matching runs only its validation simulation, with the built-in engine)");
        }
        if (sampler.replicas() > 1) {
            // every replica's frames are kept together for the simulation's reweighting
            long all = frames * sampler.replicas();
            String tooMuch = all * features > Integer.MAX_VALUE - 8L ? "more than the 2^31 numbers a simulation's frames can hold"
                    : org.remcg.system.Memory.tooLarge(24.0 * all * features);
            if (tooMuch != null) {
                throw y.error("sampler.replicas", sampler.replicas() + " replicas of " + frames + " frames of " + features + " features each: "
                        + tooMuch + "; raise engine.sample_every or lower engine.steps");
            }
        }
        return new FitConfig(file, temperature, method, ref, sys, interactions, engine, opt, rough, ridge, dir, sampler);
    }

    private static Reference reference(YamlTree y, JsonNode r) throws DataFormatException {
        if (r == null) {
            return new Reference(null, null, null, null, null, null, 0, -1, 1, 3);
        }
        y.keys(r, "reference", Set.of("trajectory", "cg_trajectory", "topology", "gromacs_topology", "mapping", "format", "begin", "end",
                "stride", "exclude_hops"));
        Path traj = existing(y, r, "trajectory", "reference");
        Path cg = existing(y, r, "cg_trajectory", "reference");
        Path top = existing(y, r, "topology", "reference");
        Path gtop = existing(y, r, "gromacs_topology", "reference");
        Path map = existing(y, r, "mapping", "reference");
        if (traj != null && cg != null) {
            throw y.error("reference", "give either trajectory (fine, with a mapping) or cg_trajectory (already mapped), not both");
        }
        if (cg != null && gtop != null) {
            throw y.error("reference.gromacs_topology", "gives the atoms (masses, molecules) of a fine trajectory and has no use with cg_trajectory, "
                    + "whose beads are already mapped: remove it");
        }
        if (traj != null && (top == null || map == null)) {
            throw y.error("reference", "a fine trajectory needs 'topology' (GRO/PDB) and 'mapping' (YAML)");
        }
        if (cg != null && top == null) {
            throw y.error("reference", "cg_trajectory needs 'topology' (a CG GRO/PDB whose atom names are the bead types, or with 'mapping' the bead"
                    + " names of the mapping's molecules)");
        }
        String format = r.has("format") ? y.text(r.get("format"), "reference.format") : null;
        int begin = (int) y.integer(r, "begin", "reference", 0, 0, Integer.MAX_VALUE);
        int end = (int) y.integer(r, "end", "reference", -1, -1, Integer.MAX_VALUE);
        int stride = (int) y.integer(r, "stride", "reference", 1, 1, Integer.MAX_VALUE);
        if (end >= 0 && end <= begin) {
            throw y.error("reference.end", "must be after begin (" + begin + "), or -1 for the end of the trajectory");
        }
        int hops = (int) y.integer(r, "exclude_hops", "reference", 3, 0, 64);
        return new Reference(traj, cg, top, gtop, map, format, begin, end, stride, hops);
    }

    private static SystemSpec system(YamlTree y, JsonNode s) throws DataFormatException {
        if (s == null) {
            return new SystemSpec(null, Map.of());
        }
        y.keys(s, "system", Set.of("configuration", "masses"));
        Path conf = existing(y, s, "configuration", "system");
        Map<String, Double> masses = new LinkedHashMap<>();
        JsonNode m = s.get("masses");
        if (m != null && !m.isNull()) {
            if (!m.isObject()) {
                throw y.error("system.masses", "must be a map from bead type to mass (amu)");
            }
            Iterator<Map.Entry<String, JsonNode>> it = m.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                double v = y.number(e.getValue(), "system.masses." + e.getKey());
                if (!(v > 0)) {
                    throw y.error("system.masses." + e.getKey(), "must be positive, got " + v);
                }
                masses.put(e.getKey(), v);
            }
        }
        return new SystemSpec(conf, masses);
    }

    private static List<InteractionSpec> interactions(YamlTree y, JsonNode list) throws DataFormatException {
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw y.error("interactions", "needs a list of at least one interaction");
        }
        List<InteractionSpec> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String p = "interactions[" + i + "]";
            JsonNode n = list.get(i);
            y.keys(n, p, Set.of("type", "beads", "cutoff", "basis", "target", "bins", "bin_width", "error_column"));
            String type = y.text(n.get("type"), p + ".type");
            InteractionKind kind = null;
            for (InteractionKind k : InteractionKind.values()) {
                kind = k.key().equals(type) ? k : kind;
            }
            if (kind == null) {
                throw y.error(p + ".type", "must be pair, bond, angle or dihedral, got " + type);
            }
            int arity = kind.beads();
            JsonNode b = n.get("beads");
            if (b == null || !b.isArray() || b.size() != arity) {
                throw y.error(p + ".beads", "a " + type + " names " + arity + " bead types, got " + b);
            }
            List<String> beads = new ArrayList<>();
            for (int k = 0; k < arity; k++) {
                beads.add(y.text(b.get(k), p + ".beads[" + k + "]"));
            }
            double cutoff = Double.NaN;
            if (kind == InteractionKind.PAIR) {
                cutoff = y.requiredPositive(n, "cutoff", p, "nm");
            } else if (n.has("cutoff")) {
                throw y.error(p + ".cutoff", "only pair interactions have a cutoff");
            }
            JsonNode bs = n.get("basis");
            y.keys(bs, p + ".basis", Set.of("kind", "knots", "min", "max"));
            String basisKind = bs.has("kind") ? y.text(bs.get("kind"), p + ".basis.kind") : "bspline";
            if (!basisKind.equals("bspline")) {
                throw y.error(p + ".basis.kind", "only bspline bases can be fitted, got " + basisKind);
            }
            int knots = (int) y.integer(bs, "knots", p + ".basis", -1, 5, 2000);
            if (knots < 0) {
                throw y.error(p + ".basis.knots", "missing (number of B-spline functions)");
            }
            double defaultMax = kind == InteractionKind.PAIR ? cutoff : kind == InteractionKind.BOND ? Double.NaN : Math.PI;
            double defaultMin = kind == InteractionKind.PAIR ? 0 : kind == InteractionKind.DIHEDRAL ? -Math.PI : kind == InteractionKind.ANGLE ? 0 : Double.NaN;
            double min = y.number(bs, "min", p + ".basis", defaultMin);
            double max = y.number(bs, "max", p + ".basis", defaultMax);
            if (Double.isNaN(min) || Double.isNaN(max)) {
                throw y.error(p + ".basis", "a bond basis needs min and max (nm)");
            }
            if (!(max > min)) {
                throw y.error(p + ".basis", "max must exceed min, got [" + min + ", " + max + "]");
            }
            if (kind == InteractionKind.PAIR && Math.abs(max - cutoff) > 1e-12) {
                throw y.error(p + ".basis.max", "a pair basis must end at the cutoff " + cutoff + ", got " + max);
            }
            Path target = existing(y, n, "target", p);
            TargetDistribution.Placement placement = TargetDistribution.Placement.CENTRED;
            if (n.has("bins")) {
                String b0 = y.text(n.get("bins"), p + ".bins");
                placement = switch (b0) {
                    case "centred", "centered" -> TargetDistribution.Placement.CENTRED;
                    case "edges" -> TargetDistribution.Placement.EDGES;
                    default -> throw y.error(p + ".bins", "must be centred (x is the centre of each bin) or edges (x is its left edge), got " + b0);
                };
            }
            double width = n.has("bin_width") ? y.positive(n, "bin_width", p, 1) : Double.NaN;
            if (target == null && (n.has("bins") || n.has("bin_width") || n.has("error_column"))) {
                throw y.error(p + "." + (n.has("bins") ? "bins" : n.has("bin_width") ? "bin_width" : "error_column"),
                        "bins, bin_width and error_column describe a target file: give target too");
            }
            int errorColumn = (int) y.integer(n, "error_column", p, 0, 3, 1000);
            out.add(new InteractionSpec(kind, List.copyOf(beads), cutoff, new BasisSpec(knots, min, max), target,
                    new TargetDistribution.Bins(placement, width), errorColumn));
        }
        return out;
    }

    private static Path existing(YamlTree y, JsonNode parent, String key, String path) throws DataFormatException {
        Path p = y.path(parent, key, path);
        if (p != null && !Files.isRegularFile(p)) {
            throw y.error(YamlTree.join(path, key), Files.isDirectory(p) ? "is a directory, not a file: " + p : "no such file: " + p);
        }
        return p;
    }
}
