package org.remcg.simulate;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.remcg.model.ForceField;
import org.remcg.model.ForceField.Interaction;
import org.remcg.system.InteractionKind;
import org.remcg.model.Potential;
import org.remcg.observe.BondedGeometry;
import org.remcg.system.Box;
import org.remcg.system.CgTopology;
import org.remcg.units.Units;

/**
 * Metropolis Monte Carlo with single-particle moves: a particle chosen at random is displaced
 * uniformly within a cube of half-edge {@code maxStep} nm and the move is accepted with probability
 * min(1, exp(-dU/kT)). One sweep (N trials) counts as one step. The energy change is computed from
 * the force field's potentials directly (pairs by an O(N) minimum-image loop, plus the bonded terms
 * of the particle), so a sweep costs O(N^2): meant for small systems and as an independent check
 * of the dynamics. Observables, features and distributions are recorded through the
 * {@link Engine} (same output as MD). Serial and deterministic for a seed.
 */
public final class MonteCarlo {
    private final Engine engine;
    private final double beta;
    private final double maxStep;
    private final SplittableRandom rng;
    private final int n;
    private final double[] x;
    private final int[] type;
    private final Potential[] pairPot;
    private final double[] pairCut2;
    private final double[] pairShift;
    private final int nt;
    private final CgTopology.Exclusions excl;
    private final Box box;
    /** Bonded terms touching each particle: kind, term index. */
    private final int[][] terms;
    private final Potential[] bondedPot;
    private final int[] atoms;
    private final int[] perTerm;
    private long tried;
    private long accepted;

    public MonteCarlo(Engine engine, double temperature, double maxStep, long seed) {
        if (!(temperature > 0) || !(maxStep > 0)) {
            throw new IllegalArgumentException("Monte Carlo needs temperature > 0 and a maximum step > 0");
        }
        this.engine = engine;
        this.beta = 1 / (Units.KB * temperature);
        this.maxStep = maxStep;
        this.rng = new SplittableRandom(seed);
        CgTopology top = engine.topology();
        ForceField ff = engine.forceField();
        this.n = top.size();
        this.x = engine.positions();
        this.type = top.type();
        this.box = engine.box();
        this.nt = top.types();
        pairPot = new Potential[nt * nt];
        pairCut2 = new double[nt * nt];
        pairShift = new double[nt * nt];
        String[] names = top.typeNames();
        Interaction[] pairOf = PairTables.byTypePair(ff, names);
        for (int ab = 0; ab < nt * nt; ab++) {
            Interaction in = pairOf[ab];
            if (in != null) {
                pairPot[ab] = in.potential();
                pairCut2[ab] = in.cutoff() * in.cutoff();
                pairShift[ab] = in.shift() ? in.potential().energy(in.cutoff()) : 0;
            }
        }
        List<Interaction> bondedList = new ArrayList<>();
        for (Interaction in : ff.interactions()) {
            if (in.kind() != InteractionKind.PAIR) {
                bondedList.add(in);
            }
        }
        excl = top.exclusions(ff.exclusionHops());
        // flatten bonded terms: atoms with a per-term count, and the potential per term
        List<Integer> at = new ArrayList<>();
        List<Integer> per = new ArrayList<>();
        List<Potential> pots = new ArrayList<>();
        addTerms(top.bonds(), 2, InteractionKind.BOND, names, bondedList, at, per, pots);
        addTerms(top.angles(), 3, InteractionKind.ANGLE, names, bondedList, at, per, pots);
        addTerms(top.dihedrals(), 4, InteractionKind.DIHEDRAL, names, bondedList, at, per, pots);
        atoms = at.stream().mapToInt(Integer::intValue).toArray();
        perTerm = per.stream().mapToInt(Integer::intValue).toArray();
        bondedPot = pots.toArray(new Potential[0]);
        List<List<Integer>> touch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            touch.add(new ArrayList<>());
        }
        int off = 0;
        for (int t = 0; t < perTerm.length; t++) {
            for (int k = 0; k < perTerm[t]; k++) {
                touch.get(atoms[off + k]).add(t);
            }
            off += perTerm[t];
        }
        terms = new int[n][];
        for (int i = 0; i < n; i++) {
            terms[i] = touch.get(i).stream().mapToInt(Integer::intValue).toArray();
        }
        termStart = new int[perTerm.length];
        for (int t = 0, o = 0; t < perTerm.length; t++) {
            termStart[t] = o;
            o += perTerm[t];
        }
    }

    private final int[] termStart;

    private void addTerms(int[] idx, int per, InteractionKind kind, String[] names, List<Interaction> bonded, List<Integer> at, List<Integer> perList,
                          List<Potential> pots) {
        String[] ts = new String[per];
        for (int q = 0; q < idx.length / per; q++) {
            for (int k = 0; k < per; k++) {
                ts[k] = names[type[idx[q * per + k]]];
            }
            Potential p = null;
            for (Interaction in : bonded) {
                if (in.kind() == kind && in.matches(ts)) {
                    p = in.potential();
                }
            }
            if (p == null) {
                throw new IllegalArgumentException("the model has no " + kind.key() + " interaction for beads " + String.join("-", ts));
            }
            for (int k = 0; k < per; k++) {
                at.add(idx[q * per + k]);
            }
            perList.add(per);
            pots.add(p);
        }
    }

    /** Fraction of trial moves accepted so far. */
    public double acceptance() {
        return tried == 0 ? Double.NaN : (double) accepted / tried;
    }

    /** Runs {@code sweeps} sweeps; every {@code sampleEvery} sweeps (0: never) the engine records a frame for the observer. */
    public void run(long sweeps, int sampleEvery, Engine.Observer observer) {
        run(sweeps, sampleEvery, observer, null);
    }

    /** {@link #run(long, int, Engine.Observer)}, with {@code progress} (null: none) told the sweeps done after each piece of the run. */
    public void run(long sweeps, int sampleEvery, Engine.Observer observer, Engine.Progress progress) {
        double[] d = new double[3];
        double[] old = new double[3];
        long piece = progress == null ? Math.max(1, sweeps) : Engine.progressPiece(sweeps);
        for (long done = 0; done < sweeps;) {
            long end = Math.min(sweeps, done + piece);
            for (long s = done; s < end; s++) {
                for (int trial = 0; trial < n; trial++) {
                    int i = rng.nextInt(n);
                    double e0 = particleEnergy(i, d);
                    for (int k = 0; k < 3; k++) {
                        old[k] = x[3 * i + k];
                        x[3 * i + k] += maxStep * (2 * rng.nextDouble() - 1);
                    }
                    double e1 = particleEnergy(i, d);
                    double de = e1 - e0;
                    tried++;
                    if (de <= 0 || rng.nextDouble() < Math.exp(-beta * de)) {
                        accepted++;
                    } else {
                        for (int k = 0; k < 3; k++) {
                            x[3 * i + k] = old[k];
                        }
                    }
                }
                engine.advance(1);
                if (sampleEvery > 0 && engine.step() % sampleEvery == 0) {
                    engine.setPositions(x);
                    Sample sm = engine.sampleNow();
                    if (observer != null) {
                        observer.frame(engine, sm);
                    }
                }
            }
            done = end;
            if (progress != null) {
                progress.done(done);
            }
        }
        engine.setPositions(x);
    }

    /** Energy of the interactions of particle i (pairs and the bonded terms it takes part in). */
    private double particleEnergy(int i, double[] d) {
        double e = 0;
        int ti = type[i] * nt;
        for (int j = 0; j < n; j++) {
            if (j == i) {
                continue;
            }
            Potential p = pairPot[ti + type[j]];
            if (p == null) {
                continue;
            }
            d[0] = x[3 * j] - x[3 * i];
            d[1] = x[3 * j + 1] - x[3 * i + 1];
            d[2] = x[3 * j + 2] - x[3 * i + 2];
            box.minimumImage(d, 0);
            double r2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
            if (r2 < pairCut2[ti + type[j]] && (excl.count() == 0 || !excl.excluded(i, j))) {
                e += p.energy(Math.sqrt(r2)) - pairShift[ti + type[j]];
            }
        }
        for (int t : terms[i]) {
            e += bondedPot[t].energy(variable(t));
        }
        return e;
    }

    private final double[] v = new double[9];

    /** The bond length, angle or dihedral of bonded term t (minimum image along the chain). */
    private double variable(int t) {
        int o = termStart[t];
        return switch (perTerm[t]) {
            case 2 -> BondedGeometry.length(x, atoms[o], atoms[o + 1], box, v);
            case 3 -> BondedGeometry.angle(x, atoms[o], atoms[o + 1], atoms[o + 2], box, v);
            default -> BondedGeometry.dihedral(x, atoms[o], atoms[o + 1], atoms[o + 2], atoms[o + 3], box, v);
        };
    }
}
