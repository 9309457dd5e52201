package org.remcg.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.remcg.cli.config.FitConfig;
import org.remcg.cli.config.MappingFile;
import org.remcg.fit.BlockedMeasurement;
import org.remcg.fit.DistributionTargets;
import org.remcg.fit.FitSampler;
import org.remcg.fit.FitTerm;
import org.remcg.fit.ReferenceStatistics;
import org.remcg.fit.RemFit;
import org.remcg.fit.TargetDistribution;
import org.remcg.io.DataFormatException;
import org.remcg.io.Frame;
import org.remcg.io.Structure;
import org.remcg.io.TrajectoryFormatException;
import org.remcg.io.TrajectoryReader;
import org.remcg.io.Trajectories;
import org.remcg.mapping.BeadSpec;
import org.remcg.mapping.MappingSpec;
import org.remcg.mapping.MoleculeSpec;
import org.remcg.mapping.Weights;
import org.remcg.mapping.Mapper;
import org.remcg.model.CubicBSpline;
import org.remcg.model.ForceField;
import org.remcg.optimize.IterativeRem;
import org.remcg.optimize.Regularizer;
import org.remcg.simulate.Engine;
import org.remcg.system.Box;
import org.remcg.system.CgTopology;
import org.remcg.system.GromacsTopology;
import org.remcg.system.Molecules;
import org.remcg.system.Topology;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code remcg fit CONFIG}: relative-entropy fit of a CG force field to a mapped reference
 * trajectory or to target distributions (docs/CONFIG.md). Writes a checkpoint after every model
 * simulation; {@code --resume} continues from it.
 */
@Command(name = "fit", mixinStandardHelpOptions = true,
        description = "Fit a CG force field by relative entropy minimization (Newton steps with the covariance Hessian, reweighting).")
public final class FitCommand implements Callable<Integer> {

    @Parameters(index = "0", converter = InputFile.class, description = "Fit configuration (YAML, see docs/CONFIG.md).")
    Path config;

    @Option(names = "--resume", description = "Continue from the checkpoint in the output directory.")
    boolean resume;

    @Option(names = "--overwrite", description = "Start afresh even when the output directory holds the checkpoint of an earlier run "
            + "(its outputs are replaced as the new run writes them).")
    boolean overwrite;

    @Option(names = "--quiet", description = "Print nothing but errors.")
    boolean quiet;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    static final ObjectMapper JSON = new ObjectMapper();

    /** Everything the loop needs, assembled from the configuration. */
    record Setup(FitConfig cfg, List<FitTerm> terms, CgTopology top, Box box, double[] start, double[] targetMean, double[] targetVar,
                 List<TargetDistribution> targetDists, int[] offsets, long referenceFrames, List<double[]> targetErrors) {
    }

    /**
     * Called with the checkpoint's path each time one is written, before anything else is (tests take what a
     * kill at that moment would leave).
     */
    static volatile java.util.function.Consumer<Path> afterCheckpoint = p -> { };

    /** Blocks of the reference frames for the per-bin standard errors of the target distributions. */
    static final int TARGET_BLOCKS = 10;

    @Override
    public Integer call() throws Exception {
        PrintWriter log = quiet ? new PrintWriter(java.io.Writer.nullWriter()) : spec.commandLine().getOut();
        PrintWriter warn = quiet ? new PrintWriter(java.io.Writer.nullWriter()) : spec.commandLine().getErr();
        long t0 = System.nanoTime();
        FitConfig cfg = FitConfig.read(config);
        // one fit per output directory at a time: locked now if the directory exists, else when the fit makes it
        try (OutputLock lock = new OutputLock(cfg.outputDir())) {
            return call(cfg, lock, log, warn, t0);
        }
    }

    private Integer call(FitConfig cfg, OutputLock lock, PrintWriter log, PrintWriter warn, long t0) throws Exception {
        if (cfg.method().equals("force-matching")) {
            return ForceMatchingRun.run(cfg, resume, lock, log, warn, t0);
        }
        Path out = cfg.outputDir();
        Path checkpoint = out.resolve("checkpoint.json");
        if (resume && overwrite) {
            throw new Main.BadInputException("--resume and --overwrite exclude each other");
        }
        if (!resume && !overwrite && Files.exists(checkpoint)) {
            // with --overwrite the old checkpoint stays until the new run's first one replaces it (atomically)
            throw new Main.BadInputException(out + " holds a checkpoint of an earlier run: add --resume to continue it, --overwrite to start "
                    + "afresh, or choose another output.dir");
        }
        if (resume && !Files.exists(checkpoint)) {
            throw new Main.BadInputException("--resume: no checkpoint at " + checkpoint);
        }
        Setup s = setup(cfg, log, warn);
        double kT = Engine.KB * cfg.temperature();
        log.printf(Locale.ROOT, "reference: %s%n", s.referenceFrames() > 0 ? s.referenceFrames() + " frames" : "target files");
        log.printf(Locale.ROOT, "CG system: %d beads of types %s in %s; %d parameters in %d interactions%n", s.top().size(),
                String.join(", ", s.top().typeNames()), s.box(), s.targetMean().length, s.terms().size());

        List<TargetDistribution> startFrom = null;
        if (cfg.optimizer().start().equals("hnc")) {
            List<TargetDistribution> hnc = org.remcg.fit.HncStart.pseudoDistributions(s.terms(), s.targetDists(), s.top(), s.box().volume());
            if (hnc != null) {
                startFrom = hnc;
                log.println("start: HNC inversion of the target g(r) (Ornstein-Zernike over all pairs)");
            } else {
                log.println("start: Boltzmann inversion (HNC needs single-bead molecules with every pair of bead types fitted)");
            }
        }
        RemFit.Start start = RemFit.start(s.terms(), s.targetDists(), startFrom, cfg.temperature());
        List<String> diagnostics = new ArrayList<>();
        for (int q = 0; q < s.terms().size(); q++) {
            diagnostics.addAll(org.remcg.fit.TargetDiagnostics.check(s.terms().get(q), s.targetDists().get(q), start.perTerm().get(q), kT));
        }
        for (String d : diagnostics) {
            warn.println("note: " + d);
        }
        warn.flush();
        ForceField ff = RemFit.forceField(s.terms(), cfg.temperature(), cfg.reference().exclusionHops(), start.theta(), s.offsets());
        // the engine's worker threads end with it
        // on a terminal, a progress bar within each simulation (cleared before the simulation's line)
        try (Engine engine = new Engine(ff, s.top(), s.box(), s.start(), Engine.Options.defaults().withThreads(cfg.engine().threads()));
             ProgressDisplay.Simulations bars = !quiet && ProgressDisplay.terminal() ? new ProgressDisplay.Simulations(null) : null) {
            FitSampler sampler = FitSamplers.create(cfg, s, engine, lock, log, warn);
            sampler.setProgress(bars);
            IterativeRem.Options opt = new IterativeRem.Options(1 / kT, cfg.optimizer().maxSimulations(), cfg.optimizer().essMin(),
                    cfg.optimizer().newtonPerSimulation(), 10, Double.NaN, 4, cfg.optimizer().maxStep(),
                    Double.isNaN(cfg.optimizer().trustRadius()) ? IterativeRem.defaultTrustRadius(s.top().size()) : cfg.optimizer().trustRadius(),
                    cfg.optimizer().minLength(), true);
            Regularizer reg = regularizer(s.terms(), cfg.ridge(), cfg.roughness());
            String hash = hash(cfg, s);
            IterativeRem.State resumeState = null;
            double earlier = 0;   // wall time of the run's earlier processes, each up to its last checkpoint
            List<double[]> thetas = new ArrayList<>();
            thetas.add(start.theta().clone());
            if (resume) {
                Checkpoint cp = Checkpoint.read(checkpoint);
                if (!cp.hash().equals(hash)) {
                    throw new Main.BadInputException(checkpoint + " was written for a different configuration or reference; start a new output.dir");
                }
                resumeState = cp.state();
                sampler.setPositions(cp.positions());
                thetas = cp.thetas();
                earlier = cp.seconds();
                log.printf(Locale.ROOT, "resuming after %d simulations%n", resumeState.simulations());
            }
            Files.createDirectories(out);
            lock.hold();
            List<double[]> thetaHistory = thetas;
            double earlierSeconds = earlier;
            // the loop also reports its stop, with no new simulation: each simulation's line is printed once
            int[] printed = {resumeState == null ? 0 : resumeState.history().size()};
            IterativeRem.State fin = RemFit.run(opt, s.targetMean(), s.targetVar(), start, reg, sampler, resumeState, (state, samples) -> {
                if (thetaHistory.size() <= state.simulations()) {
                    thetaHistory.add(state.theta().clone());
                }
                Checkpoint.write(checkpoint, new Checkpoint(hash, state, sampler.positions(), thetaHistory,
                        earlierSeconds + (System.nanoTime() - t0) * 1e-9));
                afterCheckpoint.accept(checkpoint);
                FitOutputs.history(out.resolve("history.csv"), state, s.terms());
                if (bars != null) {
                    bars.close();
                }
                for (; printed[0] < state.history().size(); printed[0]++) {
                    log.println(IterativeRem.describe(state.history().get(printed[0])));
                }
                log.flush();
            });
            log.printf(Locale.ROOT, "stopped: %s after %d simulations, %d MD steps in all (%s)%n", FitOutputs.stopReason(fin),
                    fin.simulations(), FitOutputs.totalSteps(fin), FitOutputs.stepsPerSimulation(fin));
            // validation: a fresh simulation at the final parameters, measured with the reference's bins
            BlockedMeasurement model = validation(cfg, s);
            sampler.setSink(model::accept);
            if (bars != null) {
                bars.name("validation");
            }
            long beforeValidation = sampler.stepsRun();
            try {
                sampler.sample(fin.theta(), fin.simulations());
            } catch (IterativeRem.SamplingException e) {
                throw new Main.BadInputException("the validation simulation of the final model failed (" + e.getMessage()
                        + "); the parameters are in " + checkpoint + ": try a smaller engine.dt or more simulations");
            }
            ReferenceStatistics ms = model.result();
            FitOutputs.Summary summary = FitOutputs.write(out, cfg, ff, s.terms(), s.top(), fin, thetaHistory, s.targetDists(), s.targetErrors(),
                    ms.distributions(), model.standardErrors(), start, earlierSeconds + (System.nanoTime() - t0) * 1e-9,
                    FitOutputs.totalSteps(fin) + sampler.stepsRun() - beforeValidation, diagnostics);
            for (String line : summary.lines()) {
                log.println(line);
            }
            log.printf(Locale.ROOT, "wrote %s (model.yaml, tables/, distributions/, history.csv, plots, report.html) in %.1f s%n", out,
                    (System.nanoTime() - t0) * 1e-9);
            log.flush();
            if (fin.stop() == IterativeRem.Stop.MAX_SIMULATIONS) {
                // said even with --quiet: the result is usable but not a converged fit
                PrintWriter err = spec.commandLine().getErr();
                err.println(FitOutputs.notConverged(fin, s.terms(), start));
                err.flush();
                warn.flush();
                return NOT_CONVERGED;
            }
            warn.flush();
            return 0;
        }
    }

    /** Exit code of a fit that used its whole simulation budget without converging (outputs are written). */
    static final int NOT_CONVERGED = 3;

    /** Blocks of the validation run: its distributions get block standard errors (distributions/*.csv, model_error). */
    static final int VALIDATION_BLOCKS = 10;

    /** The measurement of the validation run: the reference's bins, {@link #VALIDATION_BLOCKS} blocks of its frames. */
    static BlockedMeasurement validation(FitConfig cfg, Setup s) {
        long frames = Math.max(VALIDATION_BLOCKS, cfg.sampler().replicas() * (cfg.engine().steps() / cfg.engine().sampleEvery()));
        return new BlockedMeasurement(s.terms(), s.top(), cfg.reference().exclusionHops(), VALIDATION_BLOCKS, frames);
    }

    /** Ridge and roughness penalties, roughness on second differences within each term's block. */
    static Regularizer regularizer(List<FitTerm> terms, double ridge, double roughness) {
        if (ridge == 0 && roughness == 0) {
            return Regularizer.none();
        }
        int m = 0;
        for (FitTerm t : terms) {
            m += t.basis().size();
        }
        double[] mat = new double[m * m];
        int at = 0;
        for (FitTerm t : terms) {
            int k = t.basis().size();
            double[] r = org.remcg.model.Roughness.matrix(t.basis());   // block-diagonal: one block per term
            for (int i = 0; i < k; i++) {
                System.arraycopy(r, i * k, mat, (at + i) * m + at, k);
            }
            at += k;
        }
        return new Regularizer(ridge, roughness, mat);
    }

    /** The mapping of the reference trajectory (reference.trajectory with reference.mapping). */
    static Mapper mapper(FitConfig.Reference ref, PrintWriter warn) throws IOException, DataFormatException, TrajectoryFormatException {
        MappingSpec mapSpec = MappingFile.read(ref.mapping());
        Structure structure = Trajectories.readStructure(ref.topology());
        Topology fine = structure.topology();
        Molecules molecules = null;
        if (ref.gromacsTopology() != null) {
            GromacsTopology gt = GromacsTopology.read(ref.gromacsTopology(), GromacsTopology.defaultIncludePath(), Set.of());
            fine = gt.apply(fine, ref.topology());
            molecules = gt.layout();
        } else {
            fine = MapCommand.inferMasses(fine, mapSpec, warn);
        }
        try {
            return Mapper.build(fine, molecules, mapSpec);
        } catch (IllegalArgumentException e) {
            throw new Main.BadInputException(ref.mapping() + ": " + e.getMessage());
        }
    }

    /** Reads the reference (or the target files) and the CG system. */
    static Setup setup(FitConfig cfg, PrintWriter log, PrintWriter warn) throws IOException, DataFormatException, TrajectoryFormatException {
        FitConfig.Reference ref = cfg.reference();
        List<FitTerm> terms = new ArrayList<>();
        for (FitConfig.InteractionSpec i : cfg.interactions()) {
            FitTerm.Kind kind = FitTerm.Kind.valueOf(i.type().toUpperCase(Locale.ROOT));
            TargetDistribution target = i.target() == null ? null : readTarget(cfg, kind, i);
            terms.add(new FitTerm(kind, i.beads(), i.cutoff(), new CubicBSpline(i.basis().knots(), i.basis().min(), i.basis().max()), target));
        }
        CgTopology top;
        Mapper mapper = null;
        Frame first = new Frame();
        Box box;
        long frames = 0;
        ReferenceStatistics stats = null;
        List<double[]> targetErrors = null;
        if (ref.trajectory() != null) {
            mapper = mapper(ref, warn);
            log.println(mapper.summary());
            top = mapper.cgTopology().withMasses(cfg.system().masses());
        } else if (ref.cgTrajectory() != null) {
            top = cgTopology(ref.topology(), ref.mapping(), cfg.system().masses());
        } else {
            top = cgTopology(cfg.system().configuration(), ref.mapping(), cfg.system().masses());
        }
        checkTypes(cfg, terms, top);
        if (ref.hasTrajectory()) {
            Path traj = ref.trajectory() != null ? ref.trajectory() : ref.cgTrajectory();
            int expected = mapper != null ? mapper.fineAtoms() : top.size();
            try (TrajectoryReader opened = Trajectories.open(traj, ref.format())) {
                if (opened.atoms() != expected) {
                    throw new Main.BadInputException(traj + " has " + opened.atoms() + " atoms per frame but " + ref.topology() + " has " + expected);
                }
                try (TrajectoryReader r = Trajectories.select(opened, ref.begin(), ref.end(), ref.stride())) {
                    stats = ReferenceStatistics.measure(terms, top, ref.exclusionHops(), r, mapper, cfg.engine().threads());
                }
            }
            frames = stats.frames();
            // a second, sequential pass: the first selected frame (box and, without system.configuration, the start
            // configuration) and the per-bin standard errors of the reference's distributions from blocks of frames
            BlockedMeasurement blocked = frames >= TARGET_BLOCKS ? new BlockedMeasurement(terms, top, ref.exclusionHops(), TARGET_BLOCKS, frames) : null;
            try (TrajectoryReader opened = Trajectories.open(traj, ref.format());
                    TrajectoryReader r = Trajectories.select(opened, ref.begin(), ref.end(), ref.stride())) {
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
                        targetErrors.set(q, null);   // a file target: its errors are not the trajectory's
                    }
                }
            }
        }
        if (cfg.system().configuration() != null) {
            Structure conf = Trajectories.readStructure(cfg.system().configuration());
            if (conf.frame().atoms != top.size()) {
                throw new Main.BadInputException(cfg.system().configuration() + " has " + conf.frame().atoms + " beads but the CG system has " + top.size());
            }
            first = conf.frame();
        }
        box = first.box;
        if (box == null) {
            throw new Main.BadInputException("the CG start configuration has no periodic box");
        }
        double half = 0.5 * Math.min(box.lx(), Math.min(box.ly(), box.lz()));
        double skin = Engine.Options.defaults().skin();
        for (FitTerm t : terms) {
            if (t.kind() == FitTerm.Kind.PAIR && t.cutoff() + skin > half) {
                throw new Main.BadInputException(cfg.file() + ": " + t.name() + " cutoff " + t.cutoff() + " nm plus the neighbour-list skin " + skin
                        + " nm is longer than half the box (" + half + " nm)");
            }
        }
        // targets: measured on the reference, or from the target files
        int m = 0;
        for (FitTerm t : terms) {
            m += t.basis().size();
        }
        double[] mean = new double[m];
        double[] var = new double[m];
        int[] offsets = new int[terms.size()];
        List<TargetDistribution> dists = new ArrayList<>();
        int at = 0;
        for (int q = 0; q < terms.size(); q++) {
            FitTerm t = terms.get(q);
            int k = t.basis().size();
            offsets[q] = at;
            if (t.target() != null) {
                checkSupport(cfg, t, t.target(), 0, cfg.interactions().get(q).target().toString());
                checkReach(cfg, t, cfg.interactions().get(q).target());
            } else {
                checkSupport(cfg, t, stats.distributions().get(q), stats.unbinned()[q], "measured on the reference");
            }
            if (t.target() != null) {
                double[] phi = t.kind() == FitTerm.Kind.PAIR ? DistributionTargets.pair(t.basis(), t.target(), t.cutoff(), pairsPerVolume(top, t, box))
                        : DistributionTargets.bonded(t.basis(), t.target(), t.count(top));
                System.arraycopy(phi, 0, mean, at, k);
                TargetDistribution grid = ReferenceStatistics.Measurement.comparisonGrid(t);
                dists.add(t.kind() == FitTerm.Kind.PAIR ? grid : grid.normalized());
            } else {
                System.arraycopy(stats.mean(), at, mean, at, k);
                for (int j = 0; j < k; j++) {
                    var[at + j] = stats.standardError()[at + j] * stats.standardError()[at + j];
                }
                dists.add(stats.distributions().get(q));
            }
            at += k;
        }
        double[] pos = java.util.Arrays.copyOf(first.x, 3 * top.size());
        return new Setup(cfg, terms, top, box, pos, mean, var, dists, offsets, frames, targetErrors);
    }

    static double pairsPerVolume(CgTopology top, FitTerm t, Box box) {
        long na = 0;
        long nb = 0;
        int a = top.typeIndex(t.beads().get(0));
        int b = top.typeIndex(t.beads().get(1));
        for (int ty : top.type()) {
            na += ty == a ? 1 : 0;
            nb += ty == b ? 1 : 0;
        }
        double pairs = a == b ? na * (na - 1) / 2.0 : (double) na * nb;
        return pairs / box.volume();
    }

    /** Largest fraction of a target's mass allowed outside its basis range. */
    static final double SUPPORT_TOLERANCE = 1e-3;

    /**
     * Refuses a target with mass where the model can put none: outside the basis range the fitted potential
     * is a fixed steep wall (below a pair basis' min, outside a bonded basis' [min, max]), so the relative
     * entropy would be infinite in effect. {@code unbinned}: the fraction of measured values outside the
     * distribution's own range (bonds measured on a reference).
     */
    static void checkSupport(FitConfig cfg, FitTerm t, TargetDistribution d, double unbinned, String where) {
        boolean pair = t.kind() == FitTerm.Kind.PAIR;
        double lo = t.basis().lower();
        double hi = pair ? Double.POSITIVE_INFINITY : t.basis().upper();
        double f = unbinned + (1 - unbinned) * d.fractionOutside(lo, hi, pair ? t.cutoff() : Double.POSITIVE_INFINITY);
        if (f > SUPPORT_TOLERANCE) {
            String unit = " " + t.unit();
            throw new Main.BadInputException(String.format(Locale.ROOT, "%s: %s: %.2g %% of the target distribution (%s) lies outside the basis range "
                    + "[%s, %s]%s, where the model's potential is a fixed wall and can give it no weight (infinite relative entropy); widen basis "
                    + "min/max", cfg.file(), t.name(), 100 * f, where, lo, pair ? t.cutoff() : hi, unit));
        }
    }

    /**
     * A target file read as a histogram on the coordinate's range (distances from 0, angles in [0, pi], dihedrals in
     * [-pi, pi]); g(r) bins are shell-volume averages.
     */
    static TargetDistribution readTarget(FitConfig cfg, FitTerm.Kind kind, FitConfig.InteractionSpec i) throws IOException, DataFormatException {
        double lo = kind == FitTerm.Kind.DIHEDRAL ? -Math.PI : 0;
        double hi = kind == FitTerm.Kind.ANGLE || kind == FitTerm.Kind.DIHEDRAL ? Math.PI : Double.POSITIVE_INFINITY;
        return TargetDistribution.read(i.target(), i.bins(), kind == FitTerm.Kind.PAIR ? TargetDistribution.Weight.SHELL : TargetDistribution.Weight.FLAT,
                lo, hi);
    }

    /**
     * A pair target must cover the interaction up to its cutoff: g(r) beyond the file's last bin is unknown, and
     * reading it as zero would ask the model for a void.
     */
    static void checkReach(FitConfig cfg, FitTerm t, Path file) {
        if (t.kind() != FitTerm.Kind.PAIR) {
            return;
        }
        double end = t.target().upper();
        double step = (end - t.target().lower()) / t.target().bins();
        if (end < t.cutoff() - 1e-6 * step) {
            throw new Main.BadInputException(String.format(Locale.ROOT, "%s: %s: the target ends at r = %.4g nm, before the cutoff %.4g nm "
                    + "(%s): g(r) is unknown beyond it; give a target up to the cutoff or a smaller cutoff", cfg.file(), t.name(), end, t.cutoff(), file));
        }
    }

    static void checkTypes(FitConfig cfg, List<FitTerm> terms, CgTopology top) {
        for (FitTerm t : terms) {
            for (String b : t.beads()) {
                if (top.typeIndex(b) < 0) {
                    throw new Main.BadInputException(cfg.file() + ": " + t.name() + " names bead type " + b + ", which the CG system never has (types: "
                            + String.join(", ", top.typeNames()) + ")");
                }
            }
            if (t.kind() != FitTerm.Kind.PAIR && t.count(top) == 0) {
                throw new Main.BadInputException(cfg.file() + ": " + t.name() + ": the CG topology has no such " + t.kind().key()
                        + " (define it in the mapping)");
            }
        }
        for (int ty = 0; ty < top.types(); ty++) {
            for (int i = 0; i < top.size(); i++) {
                if (top.type()[i] == ty && !(top.mass()[i] > 0)) {
                    throw new Main.BadInputException("bead type " + top.typeName(ty) + " has no mass: give it in system.masses");
                }
            }
        }
    }

    /**
     * The CG system of a CG structure file (the topology of a cg_trajectory, or system.configuration with target
     * files). Without a mapping, atom names are bead types and residues are molecules, with no bonded terms. With
     * a mapping, every residue must be one of its molecules (matched by name; GRO/PDB residue names cut to 5, 4 or
     * 3 characters match the longer name) whose atom names are the molecule's bead names in order, as
     * {@code remcg map --out-conf} writes them: bead types, bonds, angles and dihedrals come from the mapping.
     */
    static CgTopology cgTopology(Path structure, Path mapping, Map<String, Double> masses)
            throws IOException, DataFormatException, TrajectoryFormatException {
        Topology t = Trajectories.readStructure(structure).topology();
        if (mapping == null) {
            return fromStructure(t, masses, structure);
        }
        MappingSpec spec = MappingFile.read(mapping);
        Set<String> residues = new java.util.LinkedHashSet<>();
        for (int i = 0; i < t.atoms(); i++) {
            residues.add(t.residueName(i).strip());
        }
        List<MoleculeSpec> beads = new ArrayList<>();
        for (MoleculeSpec ms : spec.molecules()) {
            String name = null;
            for (int cut : new int[] {ms.name().length(), 5, 4, 3}) {
                if (cut <= ms.name().length() && residues.contains(ms.name().substring(0, cut))) {
                    name = ms.name().substring(0, cut);
                    break;
                }
            }
            if (name == null) {
                continue;   // a molecule the CG system does not hold
            }
            List<BeadSpec> bs = new ArrayList<>();
            for (BeadSpec b : ms.beads()) {
                bs.add(new BeadSpec(b.name(), b.type(), List.of(b.name()), Weights.GEOMETRY));
            }
            beads.add(new MoleculeSpec(name, bs, ms.bonds(), ms.angles(), ms.dihedrals()));
        }
        if (beads.isEmpty()) {
            throw new Main.BadInputException(structure + ": no residue is a molecule of " + mapping + " (residue names: " + String.join(", ", residues)
                    + ")");
        }
        Mapper m;
        try {
            m = Mapper.build(t, null, new MappingSpec(beads));
        } catch (IllegalArgumentException e) {
            throw new Main.BadInputException(structure + " with " + mapping + " (its atom names must be the bead names): " + e.getMessage());
        }
        if (!m.droppedResidues().isEmpty()) {
            throw new Main.BadInputException(structure + ": residues " + m.droppedResidues().keySet() + " are not molecules of " + mapping
                    + "; with a mapping every CG residue must be one of its molecules");
        }
        return m.cgTopology().withMasses(masses);
    }

    /** The CG system of a CG structure file: atom names are bead types, residues are molecules (no bonds). */
    static CgTopology fromStructure(Topology t, Map<String, Double> masses, Path file) {
        CgTopology.Builder b = new CgTopology.Builder();
        int lastRes = Integer.MIN_VALUE;
        String lastName = null;
        for (int i = 0; i < t.atoms(); i++) {
            if (t.residueNumber(i) != lastRes || !t.residueName(i).equals(lastName)) {
                b.molecule();
                lastRes = t.residueNumber(i);
                lastName = t.residueName(i);
            }
            Double m = masses.get(t.atomName(i));
            double mass = m != null ? m : t.mass(i);
            b.particle(t.atomName(i), t.atomName(i), Double.isNaN(mass) ? 0 : mass);
        }
        return b.build();
    }

    /** A fingerprint of what determines the run: the configuration text and the targets. */
    static String hash(FitConfig cfg, Setup s) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(Files.readAllBytes(cfg.file()));
            for (double v : s.targetMean()) {
                md.update(Double.toString(v).getBytes(StandardCharsets.US_ASCII));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The resumable state of a fit, written atomically as JSON after every simulation. */
    record Checkpoint(String hash, IterativeRem.State state, double[] positions, List<double[]> thetas, double seconds) {

        static void write(Path file, Checkpoint c) throws IOException {
            ObjectNode root = JSON.createObjectNode();
            root.put("format", FORMAT);
            root.put("hash", c.hash());
            IterativeRem.State s = c.state();
            root.set("theta", array(s.theta()));
            root.set("base", s.base() == null ? null : array(s.base()));
            root.set("base_gradient", s.baseGradient() == null ? null : array(s.baseGradient()));
            root.set("base_hessian", s.baseHessian() == null ? null : array(s.baseHessian()));
            root.set("base_blocks", s.baseBlocks() == null ? null : array(s.baseBlocks()));
            root.set("predicted", number(s.predicted()));
            root.set("radius", number(s.radius()));
            root.put("simulations", s.simulations());
            root.put("retries", s.retries());
            root.put("stop", s.stop() == null ? null : s.stop().name());
            root.set("length", number(s.length()));
            root.set("base_frames", number(s.baseFrames()));
            root.put("drifting", s.drifting());
            ArrayNode hist = root.putArray("history");
            for (IterativeRem.Step st : s.history()) {
                ObjectNode h = hist.addObject();
                h.put("simulation", st.simulation());
                h.put("frames", st.frames());
                h.set("gradient_norm", number(st.gradientNorm()));
                h.set("noise", number(st.noise()));
                h.set("term_noise", array(st.termNoise()));
                h.set("measured_change", number(st.measuredChange()));
                h.set("measured_error", number(st.measuredError()));
                h.set("rho", number(st.rho()));
                h.put("verdict", st.verdict().name());
                h.set("radius", number(st.radius()));
                h.put("newton_steps", st.newtonSteps());
                h.set("predicted_change", number(st.predictedChange()));
                h.set("ess", number(st.ess()));
                h.put("note", st.note());
                h.set("length", number(st.length()));
                h.put("md_steps", st.mdSteps());
                ArrayNode w = h.putArray("worst");
                for (int i : st.worst()) {
                    w.add(i);
                }
                h.set("worst_z", array(st.worstZ()));
            }
            root.set("positions", array(c.positions()));
            root.set("seconds", number(c.seconds()));
            ArrayNode th = root.putArray("thetas");
            for (double[] t : c.thetas()) {
                th.add(array(t));
            }
            byte[] bytes = JSON.writeValueAsBytes(root);
            AtomicFiles.write(file, o -> o.write(bytes));
        }

        static Checkpoint read(Path file) throws IOException {
            JsonNode root;
            try {
                root = JSON.readTree(file.toFile());
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new Main.BadInputException(file + ": damaged checkpoint (" + e.getOriginalMessage() + ")");
            }
            if (root == null || !root.path("format").asText().startsWith("remcg-fit-checkpoint-")) {
                throw new Main.BadInputException(file + ": not a remcg fit checkpoint");
            }
            if (!FORMAT.equals(root.path("format").asText())) {
                throw new Main.BadInputException(file + ": checkpoint format " + root.path("format").asText() + " was written by another remcg version (this one reads "
                        + FORMAT + "); start a new output.dir");
            }
            List<IterativeRem.Step> hist = new ArrayList<>();
            for (JsonNode h : root.get("history")) {
                hist.add(new IterativeRem.Step(h.get("simulation").asInt(), h.get("frames").asInt(), num(h.get("gradient_norm")), num(h.get("noise")),
                        doubles(h.get("term_noise")), num(h.get("measured_change")), num(h.get("measured_error")), num(h.get("rho")),
                        IterativeRem.Verdict.valueOf(h.get("verdict").asText()), num(h.get("radius")), h.get("newton_steps").asInt(),
                        num(h.get("predicted_change")), num(h.get("ess")), h.get("note").asText(), num(h.get("length")), h.get("md_steps").asLong(), ints(h.get("worst")), doubles(h.get("worst_z"))));
            }
            JsonNode stop = root.get("stop");
            IterativeRem.State s = new IterativeRem.State(doubles(root.get("theta")), optional(root, "base"), optional(root, "base_gradient"),
                    optional(root, "base_hessian"), optional(root, "base_blocks"), num(root.get("predicted")), num(root.get("radius")), root.get("simulations").asInt(),
                    root.get("retries").asInt(), hist, stop == null || stop.isNull() ? null : IterativeRem.Stop.valueOf(stop.asText()),
                    num(root.get("length")), num(root.get("base_frames")), root.path("drifting").asBoolean(false));
            List<double[]> thetas = new ArrayList<>();
            for (JsonNode t : root.get("thetas")) {
                thetas.add(doubles(t));
            }
            JsonNode seconds = root.get("seconds");
            return new Checkpoint(root.get("hash").asText(), s, doubles(root.get("positions")), thetas, seconds == null ? 0 : num(seconds));
        }

        static final String FORMAT = "remcg-fit-checkpoint-4";

        static double[] optional(JsonNode root, String key) {
            JsonNode n = root.get(key);
            return n == null || n.isNull() ? null : doubles(n);
        }

        /** A double as a JSON number, a non-finite one as a string (JSON has no NaN). */
        static JsonNode number(double x) {
            return Double.isFinite(x) ? JSON.getNodeFactory().numberNode(x) : JSON.getNodeFactory().textNode(Double.toString(x));
        }

        /** Doubles as JSON numbers, non-finite ones as strings (JSON has no NaN). */
        static ArrayNode array(double[] v) {
            ArrayNode a = JSON.createArrayNode();
            for (double x : v) {
                if (Double.isFinite(x)) {
                    a.add(x);
                } else {
                    a.add(Double.toString(x));
                }
            }
            return a;
        }

        static double[] doubles(JsonNode a) {
            double[] v = new double[a.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = num(a.get(i));
            }
            return v;
        }

        static int[] ints(JsonNode a) {
            int[] v = new int[a.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = a.get(i).asInt();
            }
            return v;
        }

        static double num(JsonNode n) {
            return n.isTextual() ? Double.parseDouble(n.asText()) : n.asDouble();
        }
    }

}
