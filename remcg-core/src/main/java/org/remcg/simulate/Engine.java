package org.remcg.simulate;

import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import org.remcg.model.ForceField;
import org.remcg.system.Box;
import org.remcg.system.CgTopology;
import org.remcg.units.Units;

/**
 * The built-in coarse-grained molecular dynamics engine: particles with types and masses, the bonded topology of a
 * {@link CgTopology}, a periodic box, and the interactions of a {@link ForceField}. This class is the facade: it owns
 * the threads ({@link Team}), the partition of the particles into blocks and the order of the work, and wires the
 * parts that do it:
 * <ul>
 *   <li>what the system is: the force field and topology, the pair interactions as tables ({@link PairTables}), the
 *       bonded terms ({@link BondedForces});</li>
 *   <li>the running state: {@link Particles} (positions, velocities, forces in an internal, spatially sorted
 *       order; the public API always speaks the topology's order), the block force buffers ({@link ForceBuffers}), the
 *       per-block sums of a sampled frame ({@link BlockSums});</li>
 *   <li>neighbour search: half Verlet lists with a skin ({@link PairList}), built from a column grid
 *       ({@link ColumnGrid}) or from all pairs in narrow or triclinic boxes, rebuilt when a particle has moved more
 *       than half the skin, and pruned to inner lists between builds ({@link InnerLists});</li>
 *   <li>pair kernels behind one interface ({@link PairKernel}), chosen per force pass by {@link PairKernels};
 *       {@link ReferencePairForces} is the plain all-pairs form every kernel variant is tested against;</li>
 *   <li>how the system moves: the {@link Integrator} (Langevin BAOAB or velocity Verlet) through
 *       {@link Dynamics}.</li>
 * </ul>
 *
 * <p><b>Parallelism and determinism.</b> Particles are split into a fixed number of index blocks
 * ({@link Options#blocks}, default 2). Each block has its own neighbour list, force buffer, sums and random stream;
 * threads take whole blocks, and the buffers and sums are added in block order. A trajectory therefore depends on the
 * seed and the number of blocks only, never on the number of threads, nor on what the engine ran before (the first
 * list build of a run sorts by column, z and topology index; {@link #removeDrift} sums in the topology's order).
 *
 * <p><b>A step</b> (the run loop): move (each block sums the force buffers over its particles, gives the last step's
 * closing half kick and the integrator's move), blow-up check, list rebuild when due, pruning decision, force pass
 * (each block: pair kernel, bonded terms). The closing half kick is given by the next step's move, or at the end of a
 * run together with the force reduction. Every k steps the force pass is a sampled one and an {@link Observer}
 * receives the frame: potential energy, virial, pressure, Laplacian of U, and the feature vector (dU/dtheta of every
 * basis-expanded interaction: the sum over its pairs or terms of the basis functions); {@link SampledDistributions}
 * measures RDFs and bonded distributions from these frames.
 *
 * <p>Blow-ups: a particle moving more than {@link Options#maxMove} of the smallest box width in one step or a
 * non-finite coordinate (every step), or a potential energy above {@link Options#maxEnergy} kT per particle (at sampled
 * frames; T is the integrator's thermostat temperature, or the force field's for velocity Verlet), raise a
 * {@link BlowUpException}.
 *
 * <p>Not thread-safe: one engine is driven by one thread at a time. Close it to stop its workers.
 */
public final class Engine implements AutoCloseable {
    /** kJ/mol/nm^3 to bar. */
    public static final double BAR = 16.6053906717;
    /** Grid spacing of the pair tables (nm). */
    public static final double TABLE_SPACING = 2e-3;
    /** Inner-list buffer beyond the cutoff (nm), see {@link InnerLists}. */
    static final double PRUNE = InnerLists.PRUNE;

    /**
     * Engine settings.
     *
     * @param skin          Verlet skin (nm)
     * @param threads       worker threads (at most {@code blocks} are used)
     * @param blocks        particle blocks (fixed work partition; the trajectory depends on it)
     * @param maxMove       largest allowed displacement in one step as a fraction of the smallest box width
     * @param maxEnergy     largest allowed potential energy per particle in units of kT at a sampled frame
     */
    public record Options(double skin, int threads, int blocks, double maxMove, double maxEnergy) {
        public Options {
            if (!(skin >= 0) || threads < 1 || blocks < 1 || !(maxMove > 0) || !(maxEnergy > 0)) {
                throw new IllegalArgumentException("bad engine options: skin=" + skin + " threads=" + threads + " blocks=" + blocks);
            }
        }

        public static Options defaults() {
            return new Options(0.1, 1, 2, 0.1, 1e4);
        }

        public Options withThreads(int t) {
            return new Options(skin, t, blocks, maxMove, maxEnergy);
        }

        public Options withSkin(double s) {
            return new Options(s, threads, blocks, maxMove, maxEnergy);
        }

        public Options withBlocks(int b) {
            return new Options(skin, threads, b, maxMove, maxEnergy);
        }
    }

    /** Receives sampled frames. */
    @FunctionalInterface
    public interface Observer {
        void frame(Engine engine, Sample sample);
    }

    private final ForceField ff;
    private final CgTopology top;
    private final Box box;
    private final Options opt;
    private final int n;
    private final double minWidth;
    private final int nb;
    private final int[] blockStart;
    private final Particles particles;
    private final PairTables tables;
    private final BondedForces bonded;
    private final PairList lists;
    private final InnerLists inner;
    private final PairKernels kernels;
    private final ForceBuffers buffers;
    private final BlockSums sums;
    private final Dynamics dynamics;
    private final Team team;
    private long step;
    private long listBuilds;
    private boolean forcesValid;
    /** This force pass is a sampled one. */
    private boolean sampling;
    /** The reduction gives the closing half kick. */
    private boolean reduceKick;
    private final IntConsumer phaseMove;
    private final IntConsumer phaseBuild = this::buildList;
    private final IntConsumer phaseForce = this::force;
    private final IntConsumer phaseReduce;

    /**
     * @param positions 3N coordinates (nm), copied
     */
    public Engine(ForceField ff, CgTopology top, Box box, double[] positions, Options opt) {
        this.ff = ff;
        this.top = top;
        this.box = box;
        this.opt = opt;
        particles = new Particles(top, positions);
        n = particles.n;
        minWidth = minWidth(box);
        tables = new PairTables(ff, top.typeNames(), opt.skin());
        double listCut = tables.maxCut + opt.skin();
        if (tables.ntab > 0 && listCut > 0.5 * minWidth) {
            throw new IllegalArgumentException("cutoff + skin = " + listCut + " nm exceeds half the smallest box width " + (0.5 * minWidth)
                    + " nm");
        }
        nb = Math.min(opt.blocks(), n);
        blockStart = new int[nb + 1];
        for (int p = 0; p <= nb; p++) {
            blockStart[p] = (int) ((long) n * p / nb);
        }
        bonded = new BondedForces(ff, top, box, particles, nb);
        CgTopology.Exclusions excl = top.exclusions(ff.exclusionHops());
        lists = new PairList(particles, tables, excl, box, blockStart, listCut);
        inner = new InnerLists(particles, tables, lists, opt.skin());
        sums = new BlockSums(nb, ff.parameterCount());
        kernels = new PairKernels(particles, tables, lists, inner, sums);
        buffers = new ForceBuffers(nb, n);
        dynamics = new Dynamics(particles, buffers, sums, blockStart, lists.xBuild, inner.xPrune);
        phaseMove = dynamics::move;
        phaseReduce = p -> dynamics.reduce(p, reduceKick);
        team = new Team(opt.threads(), nb);
    }

    /** The smallest distance between opposite faces of the box (nm). */
    static double minWidth(Box box) {
        double[] m = box.matrix();
        double[] a = {m[0], m[1], m[2]};
        double[] b = {m[3], m[4], m[5]};
        double[] c = {m[6], m[7], m[8]};
        double vol = m[0] * m[4] * m[8];
        return Math.min(vol / norm(cross(b, c)), Math.min(vol / norm(cross(c, a)), vol / norm(cross(a, b))));
    }

    private static double[] cross(double[] a, double[] b) {
        return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }

    private static double norm(double[] a) {
        return Math.sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
    }

    // =====================================================================================
    // public state access

    public int size() { return n; }
    public Box box() { return box; }
    public ForceField forceField() { return ff; }
    public CgTopology topology() { return top; }
    /** Steps taken so far. */
    public long step() { return step; }
    /** Number of Verlet list builds so far. */
    public long listBuilds() { return listBuilds; }
    /** Threads actually used. */
    public int threads() { return team.threads(); }
    /** Degrees of freedom used for the kinetic temperature (3N, or 3N - 3 after {@link #removeDrift}). */
    public int degreesOfFreedom() { return dynamics.dof; }

    /** Copies the positions (nm, wrapped into the box at every list build) into out (length 3N), in the topology's order. */
    public void positions(double[] out) {
        particles.unsort(particles.x, out);
    }

    public double[] positions() {
        double[] o = new double[3 * n];
        particles.unsort(particles.x, o);
        return o;
    }

    public double[] velocities() {
        double[] o = new double[3 * n];
        particles.unsort(particles.v, o);
        return o;
    }

    /** Forces (kJ/mol/nm) at the current positions, in the topology's order. */
    public double[] forces() {
        ensureForces();
        double[] o = new double[3 * n];
        particles.unsort(particles.f, o);
        return o;
    }

    /** Force passes that wrote the inner lists. */
    long prunings() {
        return inner.prunings();
    }

    /** Switches the inner (pruned) lists off or on; the trajectory is the same either way (tested). */
    void setPruning(boolean on) {
        inner.setEnabled(on);
    }

    public void setPositions(double[] p) {
        if (p.length != 3 * n) {
            throw new IllegalArgumentException("expected " + 3 * n + " coordinates");
        }
        Particles.checkFinite(p);
        particles.sort(p, particles.x);
        forcesValid = false;
    }

    public void setVelocities(double[] vel) {
        if (vel.length != 3 * n) {
            throw new IllegalArgumentException("expected " + 3 * n + " velocity components");
        }
        particles.sort(vel, particles.v);
    }

    /** Draws Maxwell-Boltzmann velocities at temperature T (K) from the seed, then removes the centre-of-mass motion. */
    public void initializeVelocities(double temperature, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = particles.v;
        for (int e = 0; e < n; e++) {
            int i = particles.inv[e];
            double s = Math.sqrt(Units.KB * temperature * particles.invMass[i]);
            for (int d = 0; d < 3; d++) {
                v[3 * i + d] = s * r.nextGaussian();
            }
        }
        removeDrift();
    }

    /** Removes the centre-of-mass velocity; the kinetic temperature then counts 3N - 3 degrees of freedom. */
    public void removeDrift() {
        double[] p = new double[3];
        double mt = 0;
        double[] v = particles.v;
        double[] mass = particles.mass;
        // summed in the topology's order: the internal order depends on the list builds so far, and the sum's
        // rounding must not (a run from a given state gives the same trajectory whatever ran before it)
        for (int e = 0; e < n; e++) {
            int i = particles.inv[e];
            for (int d = 0; d < 3; d++) {
                p[d] += mass[i] * v[3 * i + d];
            }
            mt += mass[i];
        }
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < 3; d++) {
                v[3 * i + d] -= p[d] / mt;
            }
        }
        dynamics.dof = 3 * n - 3;
    }

    /** Sets the degrees of freedom used for the kinetic temperature. */
    public void setDegreesOfFreedom(int d) {
        dynamics.dof = d;
    }

    /** Total potential energy (kJ/mol) at the current positions. */
    public double potentialEnergy() {
        return evaluate().potential();
    }

    /** Kinetic energy (kJ/mol) of the current velocities. */
    public double kineticEnergy() {
        double[] v = particles.v;
        double[] mass = particles.mass;
        double k = 0;
        for (int i = 0; i < n; i++) {
            k += 0.5 * mass[i] * (v[3 * i] * v[3 * i] + v[3 * i + 1] * v[3 * i + 1] + v[3 * i + 2] * v[3 * i + 2]);
        }
        return k;
    }

    /**
     * Evaluates the current state as a sampled frame (energy, virial, pressure, features) without
     * moving the particles.
     */
    public Sample evaluate() {
        prepare();
        sampledPass();
        return makeSample();
    }

    /**
     * Records the current state as a sampled frame at the current step (observables, features), as {@link #run} does
     * every k steps; used by samplers that move the particles themselves.
     */
    public Sample sampleNow() {
        prepare();
        sampledPass();
        dynamics.kickNeeded = false;
        return makeSample();
    }

    /** A sampled force pass and the reduction without a kick. */
    private void sampledPass() {
        sampling = true;
        team.run(phaseForce);
        sampling = false;
        reduceKick = false;
        team.run(phaseReduce);
        dynamics.reduceNeeded = false;
        forcesValid = true;
    }

    /**
     * Sets the step counter. {@link #run} samples where the counter is a multiple of sampleEvery, so a series of
     * runs that must not depend on what ran before (each simulation of a fit) starts each at 0.
     */
    public void setStep(long s) {
        step = s;
    }

    /** Advances the step counter (for samplers that move the particles themselves). */
    public void advance(long steps) {
        step += steps;
    }

    // =====================================================================================
    // running

    /**
     * Runs {@code steps} steps; every {@code sampleEvery} steps (0: never) the observer (may be
     * null) receives a frame. Stops with a
     * {@link BlowUpException} when the run becomes unstable.
     */
    public void run(Integrator integrator, long steps, int sampleEvery, Observer observer) {
        prepare();
        dynamics.begin(integrator);
        // the energy scale of the blow-up check: the thermostat's temperature, the model's without a thermostat
        double kT = Units.KB * (Double.isNaN(integrator.temperature()) ? ff.temperature() : integrator.temperature());
        for (long s = 0; s < steps; s++) {
            team.run(phaseMove);
            dynamics.reduceNeeded = false;
            dynamics.kickNeeded = false;
            step++;
            checkMove();
            maybeRebuild();
            sampling = sampleEvery > 0 && step % sampleEvery == 0;
            inner.decide(dynamics.pruneDisplacement, sampling);
            team.run(phaseForce);
            inner.done();
            dynamics.reduceNeeded = true;
            dynamics.kickNeeded = true;
            if (sampling) {
                sampling = false;
                reduceKick = true;
                team.run(phaseReduce);
                dynamics.reduceNeeded = false;
                dynamics.kickNeeded = false;
                Sample sm = makeSample();
                if (!(sm.potential() < opt.maxEnergy() * kT * n) || !Double.isFinite(sm.kinetic())) {
                    throw new BlowUpException(String.format(java.util.Locale.ROOT,
                            "energy explosion at step %d: potential %.6g kJ/mol, kinetic %.6g kJ/mol for %d particles", step, sm.potential(),
                            sm.kinetic(), n), step, -1);
                }
                if (observer != null) {
                    observer.frame(this, sm);
                }
            }
        }
        if (dynamics.reduceNeeded || dynamics.kickNeeded) {
            reduceKick = dynamics.kickNeeded;
            team.run(phaseReduce);
            dynamics.reduceNeeded = false;
            dynamics.kickNeeded = false;
        }
    }

    /** Told how many steps of a run are done; called between pieces of the run, never inside its step loop. */
    @FunctionalInterface
    public interface Progress {
        void done(long steps);
    }

    /** Pieces a run whose progress is followed is cut into (at most). */
    public static final int PROGRESS_PIECES = 200;

    /** Steps (or sweeps) per piece of a run of {@code steps} whose progress is followed. */
    public static long progressPiece(long steps) {
        return Math.max(1, (steps + PROGRESS_PIECES - 1) / PROGRESS_PIECES);
    }

    /**
     * {@link #run(Integrator, long, int, Observer)}, with {@code progress} (null: none) told the steps done after each
     * of up to {@link #PROGRESS_PIECES} pieces. The trajectory is the one of a run in one go, bit for bit: between two
     * pieces the engine gives the last step's second half kick, which the next step would otherwise give first, with the
     * same forces and in the same order of operations.
     */
    public void run(Integrator integrator, long steps, int sampleEvery, Observer observer, Progress progress) {
        if (progress == null) {
            run(integrator, steps, sampleEvery, observer);
            return;
        }
        long piece = progressPiece(steps);
        for (long done = 0; done < steps;) {
            long k = Math.min(piece, steps - done);
            run(integrator, k, sampleEvery, observer);
            done += k;
            progress.done(done);
        }
    }

    /** Rebuilds tables when the parameters changed and computes forces when they are not known. */
    private void prepare() {
        if (tables.update(ff)) {
            forcesValid = false;
        }
        ensureForces();
    }

    private void ensureForces() {
        if (tables.update(ff)) {
            forcesValid = false;
        }
        if (forcesValid) {
            return;
        }
        rebuild();
        team.run(phaseForce);
        reduceKick = false;
        team.run(phaseReduce);
        dynamics.reduceNeeded = false;
        dynamics.kickNeeded = false;
        forcesValid = true;
    }

    private void checkMove() {
        double limit = opt.maxMove() * minWidth;
        for (int p = 0; p < nb; p++) {
            if (!(dynamics.largestMove[p] <= limit * limit)) {
                int i = dynamics.largestMover[p];
                double[] x = particles.x;
                double[] v = particles.v;
                int e = particles.ext[i];
                throw new BlowUpException(String.format(java.util.Locale.ROOT,
                        "particle %d (%s) moved %.4g nm in step %d, more than %.3g of the box width (%.4g nm)%s", e + 1, top.name(e),
                        Math.sqrt(dynamics.largestMove[p]), step, opt.maxMove(), minWidth,
                        Double.isFinite(x[3 * i] + x[3 * i + 1] + x[3 * i + 2] + v[3 * i] + v[3 * i + 1] + v[3 * i + 2]) ? ""
                                : "; its position or velocity is not finite"), step, e);
            }
        }
    }

    /** A list build when some particle has moved more than half the skin since the last one. */
    private void maybeRebuild() {
        double half = 0.5 * opt.skin();
        boolean need = false;
        for (int p = 0; p < nb; p++) {
            need |= dynamics.buildDisplacement[p] > half * half;
        }
        if (need) {
            rebuild();
        }
    }

    private Sample makeSample() {
        return sums.into(step, dynamics.dof, box.volume(), bonded.angular());
    }

    /** Wraps and re-sorts the particles, then every block builds its list. */
    private void rebuild() {
        if (lists.arrange()) {
            bonded.remap(particles.inv);
        }
        if (tables.ntab > 0) {
            team.run(phaseBuild);
            inner.invalidate();
        }
        listBuilds++;
    }

    // =====================================================================================
    // phases: one block each

    private void buildList(int p) {
        lists.build(p);
        boolean all = bonded.terms() > 0;
        buffers.touch(p, all ? 0 : lists.reachLo(p), all ? n : lists.reachHi(p));
        kernels.fit(p, lists.longestRow(p));
    }

    private void force(int p) {
        double[] fb = buffers.clear(p);
        if (sampling) {
            kernels.choose(true, false).run(p, fb);
            bonded.run(p, fb, sums);
        } else {
            // with pruning the force pass runs over the inner lists, rewritten first when they are stale
            if (inner.pruneNow()) {
                inner.prune(p);
            }
            kernels.choose(false, inner.useForForces()).run(p, fb);
            bonded.run(p, fb, null);
        }
    }

    @Override
    public void close() {
        team.close();
    }
}
