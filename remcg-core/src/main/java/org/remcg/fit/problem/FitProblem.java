package org.remcg.fit.problem;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import org.remcg.fit.BlockedMeasurement;
import org.remcg.fit.DistributionTargets;
import org.remcg.fit.EngineSampler;
import org.remcg.fit.FitTerm;
import org.remcg.fit.ForceMatching;
import org.remcg.fit.HncStart;
import org.remcg.fit.ReferenceStatistics;
import org.remcg.fit.RemFit;
import org.remcg.fit.TargetDiagnostics;
import org.remcg.fit.TargetDistribution;
import org.remcg.io.DataFormatException;
import org.remcg.io.Frame;
import org.remcg.io.Structure;
import org.remcg.io.TrajectoryFormatException;
import org.remcg.io.TrajectoryReader;
import org.remcg.io.Trajectories;
import org.remcg.mapping.CgStructure;
import org.remcg.mapping.FineSystem;
import org.remcg.mapping.Mapper;
import org.remcg.model.CubicBSpline;
import org.remcg.model.ForceField;
import org.remcg.model.ParameterLayout;
import org.remcg.optimize.IterativeRem;
import org.remcg.optimize.Regularizer;
import org.remcg.simulate.Engine;
import org.remcg.system.Box;
import org.remcg.system.CgTopology;
import org.remcg.system.InteractionKind;
import org.remcg.units.Units;

/**
 * A molecular fit, assembled from its {@link FitConfig}: the fitted terms and their {@link ParameterLayout}, the CG
 * system (topology, box, start configuration), the targets (feature means with their variances, the target
 * distributions with their per-bin errors) measured on a reference trajectory or read from target files, and what
 * follows from the configuration (regularizer, the loop's options, the start with its ties, the engine and sampler,
 * the validation measurement). Building it checks what a fit cannot use (bead types the system lacks, targets
 * outside the basis range or short of the cutoff, a cutoff too long for the box) and throws
 * {@link FitInputException}s naming the configuration.
 */
public final class FitProblem {

    /** Blocks of the reference frames for the per-bin standard errors of the target distributions. */
    public static final int TARGET_BLOCKS = 10;

    /** Blocks of the validation run: its distributions get block standard errors. */
    public static final int VALIDATION_BLOCKS = 10;

    /** Largest fraction of a target's mass allowed outside its basis range. */
    public static final double SUPPORT_TOLERANCE = 1e-3;

    /** The CG system: topology, box and start configuration (3N positions, nm). */
    private record CgSystem(CgTopology topology, Box box, double[] start) {
    }

    /**
     * The targets: feature means in the layout with their variances, each term's target distribution with its per-bin
     * errors (see {@link #targetErrors()}), and the reference frames they were measured on.
     */
    private record Targets(double[] mean, double[] variance, List<TargetDistribution> distributions, List<double[]> errors, long referenceFrames) {
    }

    private final FitConfig config;
    private final List<FitTerm> terms;
    private final ParameterLayout layout;
    private final CgSystem system;
    private final Targets target;
    private final Mapper mapper;

    private FitProblem(FitConfig config, List<FitTerm> terms, CgSystem system, Targets target, Mapper mapper) {
        this.config = config;
        this.terms = List.copyOf(terms);
        layout = FitTerm.layout(terms);
        this.system = system;
        this.target = target;
        this.mapper = mapper;
    }

    /**
     * Reads the reference (or the target files) and the CG system.
     *
     * @param info     receives what was read (the mapping's summary)
     * @param warnings receives what had to be guessed (masses from atom names)
     */
    public static FitProblem build(FitConfig cfg, Consumer<String> info, Consumer<String> warnings)
            throws IOException, DataFormatException, TrajectoryFormatException {
        FitConfig.Reference ref = cfg.reference();
        List<FitTerm> terms = new ArrayList<>();
        for (FitConfig.InteractionSpec i : cfg.interactions()) {
            TargetDistribution target = i.target() == null ? null : readTarget(i);
            terms.add(new FitTerm(i.kind(), i.beads(), i.cutoff(), new CubicBSpline(i.basis().knots(), i.basis().min(), i.basis().max()), target));
        }
        CgTopology top;
        Mapper mapper = null;
        if (ref.trajectory() != null) {
            mapper = FineSystem.load(ref.topology(), ref.gromacsTopology(), Set.of(), ref.mapping(), warnings).mapper();
            info.accept(mapper.summary());
            top = mapper.cgTopology().withMasses(cfg.system().masses());
        } else if (ref.cgTrajectory() != null) {
            top = CgStructure.topology(ref.topology(), ref.mapping(), cfg.system().masses());
        } else {
            top = CgStructure.topology(cfg.system().configuration(), ref.mapping(), cfg.system().masses());
        }
        checkTypes(cfg, terms, top);
        Frame first = new Frame();
        long frames = 0;
        ReferenceStatistics stats = null;
        List<double[]> targetErrors = null;
        if (ref.hasTrajectory()) {
            Path traj = referenceTrajectory(cfg);
            int expected = mapper != null ? mapper.fineAtoms() : top.size();
            try (TrajectoryReader opened = Trajectories.open(traj, ref.format())) {
                if (opened.atoms() != expected) {
                    throw new FitInputException(traj + " has " + opened.atoms() + " atoms per frame but " + ref.topology() + " has " + expected);
                }
                try (TrajectoryReader r = Trajectories.select(opened, ref.begin(), ref.end(), ref.stride())) {
                    stats = ReferenceStatistics.measure(terms, top, ref.exclusionHops(), r, mapper, cfg.engine().threads());
                }
            }
            frames = stats.frames();
            // a second, sequential pass: the first selected frame (box and, without system.configuration, the start
            // configuration) and the per-bin standard errors of the reference's distributions from blocks of frames
            BlockedMeasurement blocked = frames >= TARGET_BLOCKS ? new BlockedMeasurement(terms, top, ref.exclusionHops(), TARGET_BLOCKS, frames) : null;
            try (TrajectoryReader r = openReference(cfg)) {
                Frame f = new Frame();
                Frame cg = new Frame();
                boolean firstFrame = true;
                while (r.next(f)) {
                    Frame bead = f;
                    if (mapper != null) {
                        mapper.map(f, cg);
                        bead = cg;
                    }
                    if (firstFrame) {
                        first = bead.copy();
                        firstFrame = false;
                    }
                    if (blocked == null) {
                        break;
                    }
                    blocked.accept(bead);
                }
            }
            if (blocked != null) {
                targetErrors = new ArrayList<>(blocked.standardErrors());
                for (int q = 0; q < terms.size(); q++) {
                    if (terms.get(q).target() != null) {
                        targetErrors.set(q, null);   // a file target: its errors are not the trajectory's (its own are set below)
                    }
                }
            }
        }
        if (cfg.system().configuration() != null) {
            Structure conf = Trajectories.readStructure(cfg.system().configuration());
            if (conf.frame().atoms != top.size()) {
                throw new FitInputException(cfg.system().configuration() + " has " + conf.frame().atoms + " beads but the CG system has " + top.size());
            }
            first = conf.frame();
        }
        Box box = first.box;
        if (box == null) {
            throw new FitInputException("the CG start configuration has no periodic box");
        }
        checkCutoffs(cfg, terms, box);
        // targets: measured on the reference, or from the target files
        ParameterLayout layout = FitTerm.layout(terms);
        double[] mean = new double[layout.size()];
        double[] var = new double[layout.size()];
        List<TargetDistribution> dists = new ArrayList<>();
        for (int q = 0; q < terms.size(); q++) {
            FitTerm t = terms.get(q);
            int at = layout.offset(q);
            int k = layout.block(q).size();
            if (t.target() != null) {
                checkSupport(cfg, t, t.target(), 0, cfg.interactions().get(q).target().toString());
                checkReach(cfg, t, cfg.interactions().get(q).target());
                boolean pair = t.kind() == InteractionKind.PAIR;
                double[] phi = pair ? DistributionTargets.pair(t.basis(), t.target(), t.cutoff(), pairsPerVolume(top, t, box))
                        : DistributionTargets.bonded(t.basis(), t.target(), t.count(top));
                System.arraycopy(phi, 0, mean, at, k);
                // the file's own errors, where it has them, make the target means' variances (else they are exact)
                double[] phiVar = pair ? DistributionTargets.pairVariance(t.basis(), t.target(), t.cutoff(), pairsPerVolume(top, t, box))
                        : DistributionTargets.bondedVariance(t.basis(), t.target(), t.count(top));
                if (phiVar != null) {
                    System.arraycopy(phiVar, 0, var, at, k);
                }
                TargetDistribution grid = ReferenceStatistics.Measurement.comparisonGrid(t);
                TargetDistribution shown = pair ? grid : grid.normalized();
                dists.add(shown);
                if (shown.hasErrors()) {
                    if (targetErrors == null) {
                        targetErrors = new ArrayList<>(Collections.nCopies(terms.size(), (double[]) null));
                    }
                    targetErrors.set(q, shown.error());
                }
            } else {
                checkSupport(cfg, t, stats.distributions().get(q), stats.unbinned()[q], "measured on the reference");
                System.arraycopy(stats.mean(), at, mean, at, k);
                for (int j = 0; j < k; j++) {
                    var[at + j] = stats.standardError()[at + j] * stats.standardError()[at + j];
                }
                dists.add(stats.distributions().get(q));
            }
        }
        double[] pos = Arrays.copyOf(first.x, 3 * top.size());
        return new FitProblem(cfg, terms, new CgSystem(top, box, pos), new Targets(mean, var, List.copyOf(dists), targetErrors, frames), mapper);
    }

    public FitConfig config() {
        return config;
    }

    /** The fitted terms in parameter order. */
    public List<FitTerm> terms() {
        return terms;
    }

    /** The parameter layout: one block per term. */
    public ParameterLayout layout() {
        return layout;
    }

    /** The CG system's topology (bead masses from the configuration where given). */
    public CgTopology topology() {
        return system.topology();
    }

    /** The box of the start configuration. */
    public Box box() {
        return system.box();
    }

    /** The start configuration (3N positions, nm): system.configuration or the first reference frame. */
    public double[] startPositions() {
        return system.start().clone();
    }

    /** Target feature means in the layout. */
    public double[] targetMean() {
        return target.mean().clone();
    }

    /** Variances of the target means (from the file's error column for a target file; zero without one: exact). */
    public double[] targetVariance() {
        return target.variance().clone();
    }

    /** Each term's target distribution on its comparison bins. */
    public List<TargetDistribution> targets() {
        return target.distributions();
    }

    /**
     * Per-bin standard errors of each term's target distribution (from reference blocks, or a target file's error
     * column; null for a file without one), or null when no term has any.
     */
    public List<double[]> targetErrors() {
        return target.errors();
    }

    /** Frames of the reference trajectory (0 with target files only). */
    public long referenceFrames() {
        return target.referenceFrames();
    }

    /** The mapping of a fine reference trajectory, or null (mapped reference or target files). */
    public Mapper mapper() {
        return mapper;
    }

    /** Temperature (K). */
    public double temperature() {
        return config.temperature();
    }

    /** kT (kJ/mol). */
    public double kT() {
        return Units.KB * config.temperature();
    }

    /** Pair exclusions by bond hops. */
    public int exclusionHops() {
        return config.reference().exclusionHops();
    }

    /** Ridge and roughness penalties of the configuration, roughness on second differences within each term's block. */
    public Regularizer regularizer() {
        return RemFit.regularizer(terms, config.ridge(), config.roughness());
    }

    /**
     * The start of the fit: HNC inversion of the target g(r) where the configuration asks for it and it applies,
     * otherwise Boltzmann inversion of every target distribution; the ties of coefficients without target data.
     *
     * @param info receives which start was taken
     */
    public RemFit.Start start(Consumer<String> info) {
        List<TargetDistribution> startFrom = null;
        if (config.optimizer().start().equals("hnc")) {
            List<TargetDistribution> hnc = HncStart.pseudoDistributions(terms, target.distributions(), system.topology(), system.box().volume());
            if (hnc != null) {
                startFrom = hnc;
                info.accept("start: HNC inversion of the target g(r) (Ornstein-Zernike over all pairs)");
            } else {
                info.accept("start: Boltzmann inversion (HNC needs single-bead molecules with every pair of bead types fitted)");
            }
        }
        return RemFit.start(terms, target.distributions(), startFrom, config.temperature());
    }

    /** What the targets ask that the model cannot give from this start (before any simulation). */
    public List<String> diagnostics(RemFit.Start start) {
        List<String> notes = new ArrayList<>();
        for (int q = 0; q < terms.size(); q++) {
            notes.addAll(TargetDiagnostics.check(terms.get(q), target.distributions().get(q), start.perTerm().get(q), kT()));
        }
        return notes;
    }

    /** The force field of the terms at theta (the layout's parameter vector). */
    public ForceField forceField(double[] theta) {
        return RemFit.forceField(terms, config.temperature(), exclusionHops(), theta);
    }

    /** An engine for the force field, on the start configuration, with the configuration's threads. */
    public Engine engine(ForceField ff) {
        return new Engine(ff, system.topology(), system.box(), system.start(), Engine.Options.defaults().withThreads(config.engine().threads()));
    }

    /** The engine as the loop's sampler, with the configuration's run settings. */
    public EngineSampler sampler(Engine engine) {
        FitConfig.EngineSpec es = config.engine();
        EngineSampler sampler = new EngineSampler(engine, new EngineSampler.Settings(es.dt(), es.friction(), es.steps(), es.equilibrate(),
                es.sampleEvery(), es.seed()));
        sampler.setSwaps(es.swapEvery());
        return sampler;
    }

    /**
     * The Hessian prior of the loop (optimizer.hessian_prior): with hnc, the HNC linear response at the target
     * distributions ({@link org.remcg.fit.HncHessian}) where it applies (single-bead molecules, every pair of bead
     * types fitted), else null (sampled Hessians shrunk towards their diagonal).
     */
    public double[] hessianPrior(Consumer<String> info) {
        if (!config.optimizer().hessianPrior().equals("hnc")) {
            return null;
        }
        double[] h = org.remcg.fit.HncHessian.of(terms, target.distributions(), system.topology(), system.box().volume(), kT());
        info.accept(h != null ? "Hessian prior: HNC linear response of the target g(r) (Ornstein-Zernike over all pairs)"
                : "Hessian prior: the sampled Hessian's diagonal (HNC needs single-bead molecules with every pair of bead types fitted)");
        return h;
    }

    /** The loop's options from the configuration (trust radius by default from the number of beads). */
    public IterativeRem.Options loopOptions() {
        FitConfig.OptimizerSpec o = config.optimizer();
        return new IterativeRem.Options(1 / kT(), o.maxSimulations(), o.essMin(), o.newtonPerSimulation(), 10, Double.NaN, 4, o.maxStep(),
                Double.isNaN(o.trustRadius()) ? IterativeRem.defaultTrustRadius(system.topology().size()) : o.trustRadius(), o.minLength(), true,
                o.targetTolerance());
    }

    /**
     * The measurement of a validation run: the targets' bins, {@link #VALIDATION_BLOCKS} blocks of its frames (those
     * of all the sampler's replicas).
     */
    public BlockedMeasurement validationMeasurement() {
        long frames = Math.max(VALIDATION_BLOCKS, config.sampler().replicas() * (config.engine().steps() / config.engine().sampleEvery()));
        return new BlockedMeasurement(terms, system.topology(), exclusionHops(), VALIDATION_BLOCKS, frames);
    }

    /**
     * Refuses a reference for force matching that carries no forces (checked on its first selected frame, before
     * the problem is built).
     */
    public static void requireForces(FitConfig cfg) throws IOException, TrajectoryFormatException {
        if (!cfg.reference().hasTrajectory()) {
            throw new FitInputException(cfg.file() + ": method force-matching needs a reference trajectory with forces (reference.trajectory"
                    + " or reference.cg_trajectory), target distributions carry no forces");
        }
        Path traj = referenceTrajectory(cfg);
        try (TrajectoryReader r = openReference(cfg)) {
            Frame f = new Frame();
            if (!r.next(f)) {
                throw new FitInputException(traj + ": no frames selected");
            }
            if (f.f == null) {
                throw new FitInputException(traj + ": frame " + f.index + " has no forces; method force-matching needs a reference trajectory"
                        + " with forces (a GROMACS TRR written with nstfout > 0)");
            }
        }
    }

    /** Force matching on the reference's forces with the configuration's penalties ({@link ForceMatching}). */
    public ForceMatching.Result forceMatching() throws IOException, TrajectoryFormatException {
        ForceMatching.Options o = new ForceMatching.Options(config.temperature(), config.ridge(), config.roughness(), 1e-3);
        try (TrajectoryReader r = openReference(config)) {
            return ForceMatching.fit(terms, system.topology(), exclusionHops(), r, mapper, config.engine().threads(), o);
        } catch (IllegalArgumentException e) {
            throw new FitInputException(referenceTrajectory(config) + ": " + e.getMessage());
        }
    }

    /** A fingerprint of what determines the run (the configuration text and the target means), kept in checkpoints. */
    public String fingerprint() throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(Files.readAllBytes(config.file()));
            for (double v : target.mean()) {
                md.update(Double.toString(v).getBytes(StandardCharsets.US_ASCII));
            }
            // the target's errors steer the noise filter and the criteria: a run resumed with other errors (a target
            // file's error column edited) would not repeat the interrupted one
            for (double v : target.variance()) {
                md.update(Double.toString(v).getBytes(StandardCharsets.US_ASCII));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The reference trajectory (fine or mapped), or null with target files only. */
    public static Path referenceTrajectory(FitConfig cfg) {
        FitConfig.Reference ref = cfg.reference();
        return ref.trajectory() != null ? ref.trajectory() : ref.cgTrajectory();
    }

    /** The reference trajectory's selected frames (reference.begin, end, stride); the caller closes the reader. */
    public static TrajectoryReader openReference(FitConfig cfg) throws IOException, TrajectoryFormatException {
        FitConfig.Reference ref = cfg.reference();
        TrajectoryReader opened = Trajectories.open(referenceTrajectory(cfg), ref.format());
        try {
            return Trajectories.select(opened, ref.begin(), ref.end(), ref.stride());
        } catch (RuntimeException e) {
            opened.close();
            throw e;
        }
    }

    /**
     * A target file read as a histogram on the coordinate's range (distances from 0, angles in [0, pi], dihedrals in
     * [-pi, pi]); g(r) bins are shell-volume averages.
     */
    static TargetDistribution readTarget(FitConfig.InteractionSpec i) throws IOException, DataFormatException {
        InteractionKind kind = i.kind();
        double lo = kind == InteractionKind.DIHEDRAL ? -Math.PI : 0;
        double hi = kind.angular() ? Math.PI : Double.POSITIVE_INFINITY;
        return TargetDistribution.read(i.target(), i.bins(), kind == InteractionKind.PAIR ? TargetDistribution.Weight.SHELL : TargetDistribution.Weight.FLAT,
                lo, hi, i.errorColumn());
    }

    /**
     * A pair target must cover the interaction up to its cutoff: g(r) beyond the file's last bin is unknown, and
     * reading it as zero would ask the model for a void.
     */
    static void checkReach(FitConfig cfg, FitTerm t, Path file) {
        if (t.kind() != InteractionKind.PAIR) {
            return;
        }
        double end = t.target().upper();
        double step = (end - t.target().lower()) / t.target().bins();
        if (end < t.cutoff() - 1e-6 * step) {
            throw new FitInputException(String.format(Locale.ROOT, "%s: %s: the target ends at r = %.4g nm, before the cutoff %.4g nm "
                    + "(%s): g(r) is unknown beyond it; give a target up to the cutoff or a smaller cutoff", cfg.file(), t.name(), end, t.cutoff(), file));
        }
    }

    /** Every term's bead types exist in the CG system, every bonded term has instances, every bead type a mass. */
    static void checkTypes(FitConfig cfg, List<FitTerm> terms, CgTopology top) {
        for (FitTerm t : terms) {
            for (String b : t.beads()) {
                if (top.typeIndex(b) < 0) {
                    throw new FitInputException(cfg.file() + ": " + t.name() + " names bead type " + b + ", which the CG system never has (types: "
                            + String.join(", ", top.typeNames()) + ")");
                }
            }
            if (t.kind() != InteractionKind.PAIR && t.count(top) == 0) {
                throw new FitInputException(cfg.file() + ": " + t.name() + ": the CG topology has no such " + t.kind().key()
                        + " (define it in the mapping)");
            }
        }
        for (int ty = 0; ty < top.types(); ty++) {
            for (int i = 0; i < top.size(); i++) {
                if (top.type()[i] == ty && !(top.mass()[i] > 0)) {
                    throw new FitInputException("bead type " + top.typeName(ty) + " has no mass: give it in system.masses");
                }
            }
        }
    }

    /**
     * The engine's neighbour list reaches cutoff + skin and must stay within half the box: checked here, before any
     * simulation, with the configuration named.
     */
    static void checkCutoffs(FitConfig cfg, List<FitTerm> terms, Box box) {
        double half = 0.5 * Math.min(box.lx(), Math.min(box.ly(), box.lz()));
        double skin = Engine.Options.defaults().skin();
        for (FitTerm t : terms) {
            if (t.kind() == InteractionKind.PAIR && t.cutoff() + skin > half) {
                throw new FitInputException(cfg.file() + ": " + t.name() + " cutoff " + t.cutoff() + " nm plus the neighbour-list skin " + skin
                        + " nm is longer than half the box (" + half + " nm)");
            }
        }
    }

    /** Distinct pairs of the term's bead types per volume (nm^-3). */
    static double pairsPerVolume(CgTopology top, FitTerm t, Box box) {
        return HncStart.pairsPerVolume(top, t, box.volume());
    }

    /**
     * Refuses a target with mass where the model can put none: outside the basis range the fitted potential
     * is a fixed steep wall (below a pair basis' min, outside a bonded basis' [min, max]), so the relative
     * entropy would be infinite in effect. {@code unbinned}: the fraction of measured values outside the
     * distribution's own range (bonds measured on a reference).
     */
    static void checkSupport(FitConfig cfg, FitTerm t, TargetDistribution d, double unbinned, String where) {
        boolean pair = t.kind() == InteractionKind.PAIR;
        double lo = t.basis().lower();
        double hi = pair ? Double.POSITIVE_INFINITY : t.basis().upper();
        double f = unbinned + (1 - unbinned) * d.fractionOutside(lo, hi, pair ? t.cutoff() : Double.POSITIVE_INFINITY);
        if (f > SUPPORT_TOLERANCE) {
            String unit = " " + t.unit();
            throw new FitInputException(String.format(Locale.ROOT, "%s: %s: %.2g %% of the target distribution (%s) lies outside the basis range "
                    + "[%s, %s]%s, where the model's potential is a fixed wall and can give it no weight (infinite relative entropy); widen basis "
                    + "min/max", cfg.file(), t.name(), 100 * f, where, lo, pair ? t.cutoff() : hi, unit));
        }
    }
}
