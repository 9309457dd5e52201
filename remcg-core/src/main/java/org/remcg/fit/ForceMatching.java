package org.remcg.fit;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.remcg.io.Frame;
import org.remcg.io.TrajectoryFormatException;
import org.remcg.io.TrajectoryReader;
import org.remcg.observe.BondedGeometry;
import org.remcg.observe.MappedAccumulator;
import org.remcg.mapping.Mapper;
import org.remcg.model.CubicBSpline;
import org.remcg.model.ParameterLayout;
import org.remcg.observe.FrameAccumulator;
import org.remcg.observe.FrameDriver;
import org.remcg.observe.InteractionIndex;
import org.remcg.optimize.LeastSquares;
import org.remcg.system.Box;
import org.remcg.system.CgTopology;
import org.remcg.units.Units;
import org.remcg.system.InteractionKind;

/**
 * Force matching (multiscale coarse-graining) of a linear CG force field: the coefficients theta
 * of U(R) = sum_k theta_k phi_k(R), in the same B-spline features and parameter layout as the
 * relative-entropy fit ({@link RemFit#forceField}), that minimize the mean squared difference
 * between the mapped reference forces F and the model forces -grad U over all bead force
 * components of all frames.
 *
 * <p>Per frame the model force is linear in theta, F_model = G theta with G = -d phi / d R (one
 * row per bead force component): pair terms contribute B_k'(r) along the pair vector (same pairs
 * and exclusions as the REM features), bonds the same along the bond, angles and dihedrals
 * B_k'(q) times the gradient of the angle ({@link #derivatives}). The {@link Accumulator} sums
 * G^T G, G^T F and F^T F over frames (constant memory in the number of frames) together with the
 * B_k-weighted occupancy of every basis function; {@link #solve} then fixes the coefficients the
 * forces do not determine and solves the penalized normal equations ({@link LeastSquares}).
 *
 * <p>Gauge and unsampled functions. Forces do not see a constant added to a potential. Pair
 * potentials: the last three coefficients are fixed at zero (U, U' and U'' vanish at the basis
 * upper bound, the cutoff), as in {@link BoltzmannInversion}. Bonded potentials: the first
 * sampled coefficient is fixed at zero during the solve and the potential is shifted afterwards
 * so that its minimum over the basis range is zero. Functions whose occupancy is below
 * {@code minOccupancy} of the term's largest (pairs: occupancy divided by r^2, i.e. relative to
 * g(r)) are tied like in Boltzmann inversion: below the sampled range a wall rising by
 * max(wallStep, edge slope) per knot that follows the first free coefficient, above it (bonded)
 * the same rising wall, (pairs) flat up to the fixed tail. A first solve with flat ties gives
 * the edge slopes, a second one the final coefficients.
 *
 * <p>Penalties: ridge on the free coefficients and roughness (squared second differences,
 * {@link org.remcg.model.Roughness}) on every term's coefficients, with strengths relative to
 * the mean squared force per component ((kJ/mol/nm)^2).
 */
public final class ForceMatching {
    private ForceMatching() {
    }

    /**
     * Solve options.
     *
     * @param temperature  K (the wall step is 3 kT per knot at least)
     * @param ridge        ridge strength on the free coefficients
     * @param roughness    roughness strength (second differences of each term's coefficients)
     * @param minOccupancy a function with less relative occupancy is tied, not fitted (e.g. 1e-3; 0: any data)
     */
    public record Options(double temperature, double ridge, double roughness, double minOccupancy) {
        public Options {
            if (!(temperature > 0)) {
                throw new IllegalArgumentException("temperature must be positive, got " + temperature);
            }
            if (!(ridge >= 0) || !(roughness >= 0) || !(minOccupancy >= 0)) {
                throw new IllegalArgumentException("penalties and the occupancy threshold must be >= 0");
            }
        }

        public static Options defaults(double temperature) {
            return new Options(temperature, 0, 0, 1e-3);
        }
    }

    /**
     * A force-matching solution.
     *
     * @param theta          all coefficients, terms in order (the REM parameter layout)
     * @param tie            per coefficient: free-parameter slot, or -1 when fixed at its offset
     * @param offset         per coefficient offset (walls, fixed values)
     * @param free           number of free parameters
     * @param firstInformed  per term: first sampled basis function
     * @param lastInformed   per term: last sampled basis function
     * @param autoRidge      automatic ridge added for conditioning (0 when none was needed)
     * @param rmsForce       root mean square of the reference force components (kJ/mol/nm)
     * @param rmsResidual    root mean square of reference minus model force components (kJ/mol/nm)
     * @param frames         frames used
     * @param layout         the terms' parameter layout
     */
    public record Result(double[] theta, int[] tie, double[] offset, int free, int[] firstInformed, int[] lastInformed, double autoRidge,
                         double rmsForce, double rmsResidual, long frames, ParameterLayout layout) {
        /** The fit as a REM start record (coefficients, ties, offsets, no Boltzmann inversion), e.g. for reports. */
        public RemFit.Start asStart() {
            return new RemFit.Start(theta, tie, offset, free, List.of(), layout);
        }
    }

    /**
     * Runs the accumulation over the frames of {@code reader} (fine frames mapped by
     * {@code mapper}, or bead frames when it is null) and solves.
     */
    public static Result fit(List<FitTerm> terms, CgTopology top, int hops, TrajectoryReader reader, Mapper mapper, int threads, Options o)
            throws IOException, TrajectoryFormatException {
        Accumulator acc = new Accumulator(terms, top, hops);
        FrameDriver driver = new FrameDriver(threads, FrameDriver.DEFAULT_BATCH);
        long frames = driver.run(reader, new MappedAccumulator<>(mapper, acc));
        if (frames == 0) {
            throw new IllegalArgumentException(reader.file() + ": no frames selected");
        }
        return solve(acc, o);
    }

    /**
     * Accumulates the force-matching normal equations of bead frames with forces: G^T G, G^T F,
     * F^T F, the number of force components and per-function occupancies. Merging adds the sums
     * (in the order {@link FrameDriver} fixes, so results do not depend on the thread count).
     * Needs one 3N x m scratch matrix; allocates nothing per frame once warmed up.
     */
    public static final class Accumulator implements FrameAccumulator<Accumulator> {
        private final List<FitTerm> terms;
        private final CgTopology top;
        private final int hops;
        private final int m;
        private final ParameterLayout layout;
        private final int[] offset;
        private final CubicBSpline[] basis;
        private final InteractionIndex index;
        private final Spreader spreader = new Spreader();
        // sums
        private final double[] gtg;
        private final double[] gtf;
        private final double[] occupancy;
        private double ftf;
        private long components;
        private long frames;
        // scratch
        private double[] g = new double[0];
        private final int[] nz;
        private final double[] val = new double[4];
        private final double[] d1 = new double[4];
        private final double[] s = new double[24];
        private int column;

        /**
         * @param terms the interactions in parameter order (pairs, bonds, angles, dihedrals; each at most once)
         * @param hops  pair exclusions by bond hops, as in the REM features
         */
        public Accumulator(List<FitTerm> terms, CgTopology top, int hops) {
            this(terms, top, hops, null);
        }

        private Accumulator(List<FitTerm> terms, CgTopology top, int hops, Accumulator template) {
            if (terms.isEmpty()) {
                throw new IllegalArgumentException("no interactions to fit");
            }
            this.terms = List.copyOf(terms);
            this.top = top;
            this.hops = hops;
            int n = this.terms.size();
            layout = FitTerm.layout(this.terms);
            offset = new int[n + 1];
            basis = new CubicBSpline[n];
            for (int q = 0; q < n; q++) {
                basis[q] = this.terms.get(q).basis();
                offset[q + 1] = layout.block(q).end();
            }
            m = offset[n];
            index = template != null ? template.index.copy()
                    : new InteractionIndex(top, hops, this.terms.stream().map(FitTerm::featureTerm).toList());
            gtg = new double[m * m];
            gtf = new double[m];
            occupancy = new double[m];
            nz = new int[m];
        }

        /** Number of coefficients m. */
        public int parameters() {
            return m;
        }

        public List<FitTerm> terms() {
            return terms;
        }

        /** First coefficient of term q. */
        public int offset(int q) {
            return offset[q];
        }

        public long frames() {
            return frames;
        }

        /** Force components accumulated (3 x beads x frames). */
        public long components() {
            return components;
        }

        /** Sum over frames of G^T G (m x m, row-major; a copy). */
        public double[] normalMatrix() {
            return gtg.clone();
        }

        /** Sum over frames of G^T F (a copy). */
        public double[] normalVector() {
            return gtf.clone();
        }

        /** Sum of squared reference force components. */
        public double forceSquares() {
            return ftf;
        }

        /** Sum over frames and pairs/terms of B_k(q) per coefficient (a copy). */
        public double[] occupancy() {
            return occupancy.clone();
        }

        /**
         * The model-force derivatives of one frame: out[(3 I + a) m + k] = -d phi_k / d R_Ia, the
         * force component (I, a) that coefficient k makes per unit value (out length &gt;= 3 N m;
         * overwritten). Adds the frame's occupancies when {@code count} is true.
         */
        public void derivatives(Frame frame, double[] out, boolean count) {
            if (index.hasPairs() && frame.box == null) {
                throw new IllegalArgumentException("frame " + frame.index + ": pair terms need a periodic box");
            }
            Arrays.fill(out, 0, 3 * top.size() * m, 0.0);
            spreader.x = frame.x;
            spreader.box = frame.box;
            spreader.out = out;
            spreader.count = count;
            index.visit(frame, spreader);
        }

        /** Adds each pair's and term's derivative columns to the frame's matrix. */
        private final class Spreader implements InteractionIndex.Visitor {
            private double[] x;
            private Box box;
            private double[] out;
            private boolean count;

            @Override
            public void pair(int q, int i, int j, double r2) {
                central(q, x, i, j, box, out, count);
            }

            @Override
            public void bond(int q, int i, int j) {
                central(q, x, i, j, box, out, count);
            }

            @Override
            public void angle(int q, int i, int j, int k) {
                double th = angleGradient(x, i, j, k, box, s);
                if (!Double.isNaN(th)) {
                    spread(q, th, out, count, i, j, k, -1);
                }
            }

            @Override
            public void dihedral(int q, int i, int j, int k, int l) {
                double ph = dihedralGradient(x, i, j, k, l, box, s);
                if (!Double.isNaN(ph)) {
                    spread(q, ph, out, count, i, j, k, l);
                }
            }
        }

        /** A distance term between i and j: -dB_k/dR_i = B_k'(r) (R_j - R_i) / r, the opposite on j. */
        private void central(int q, double[] x, int i, int j, Box box, double[] out, boolean count) {
            double r = BondedGeometry.length(x, i, j, box, s);
            if (!(r > 0)) {
                return;
            }
            int n = evaluate(q, r, count);
            for (int w = 0; w < n; w++) {
                double c = d1[w] / r;
                if (c == 0) {
                    continue;
                }
                int col = column + w;
                for (int a = 0; a < 3; a++) {
                    double v = c * s[a];
                    out[(3 * i + a) * m + col] += v;
                    out[(3 * j + a) * m + col] -= v;
                }
            }
        }

        /** An angular term: -dB_k/dR_p = -B_k'(q) dq/dR_p with the gradient in s[12 ..] (3 per particle). */
        private void spread(int q, double v, double[] out, boolean count, int p0, int p1, int p2, int p3) {
            int n = evaluate(q, v, count);
            for (int w = 0; w < n; w++) {
                double c = -d1[w];
                if (c == 0) {
                    continue;
                }
                int col = column + w;
                for (int a = 0; a < 3; a++) {
                    out[(3 * p0 + a) * m + col] += c * s[12 + a];
                    out[(3 * p1 + a) * m + col] += c * s[15 + a];
                    out[(3 * p2 + a) * m + col] += c * s[18 + a];
                    if (p3 >= 0) {
                        out[(3 * p3 + a) * m + col] += c * s[21 + a];
                    }
                }
            }
        }

        /**
         * Term q's basis functions at v: values in val, derivatives in d1, the first one's
         * coefficient index in {@link #column}; adds the values to the occupancies when count.
         * Returns how many of the (at most 4) nonzero functions exist.
         */
        private int evaluate(int q, double v, boolean count) {
            CubicBSpline bs = basis[q];
            int first = bs.evaluate(v, val, d1, null);
            int n = Math.min(4, bs.size() - first);
            column = offset[q] + first;
            if (count) {
                for (int w = 0; w < n; w++) {
                    occupancy[column + w] += val[w];
                }
            }
            return n;
        }

        @Override
        public void accept(Frame frame) {
            if (frame.f == null) {
                throw new IllegalArgumentException("frame " + frame.index + " has no forces: force matching needs a reference trajectory with forces"
                        + " (e.g. a TRR written with nstfout > 0)");
            }
            int rows = 3 * top.size();
            if (g.length < rows * m) {
                g = new double[rows * m];
            }
            derivatives(frame, g, true);
            double[] f = frame.f;
            for (int r = 0; r < rows; r++) {
                double fr = f[r];
                ftf += fr * fr;
                int o = r * m;
                int cnt = 0;
                for (int k = 0; k < m; k++) {
                    if (g[o + k] != 0) {
                        nz[cnt++] = k;
                    }
                }
                for (int u = 0; u < cnt; u++) {
                    int ku = nz[u];
                    double gu = g[o + ku];
                    gtf[ku] += gu * fr;
                    int row = ku * m;
                    for (int v = 0; v < cnt; v++) {
                        int kv = nz[v];
                        gtg[row + kv] += gu * g[o + kv];
                    }
                }
            }
            components += rows;
            frames++;
        }

        @Override
        public void merge(Accumulator other) {
            if (other.top != top || other.hops != hops || !other.terms.equals(terms)) {
                throw new IllegalArgumentException("cannot merge force-matching accumulators with different interactions");
            }
            for (int i = 0; i < gtg.length; i++) {
                gtg[i] += other.gtg[i];
            }
            for (int i = 0; i < m; i++) {
                gtf[i] += other.gtf[i];
                occupancy[i] += other.occupancy[i];
            }
            ftf += other.ftf;
            components += other.components;
            frames += other.frames;
        }

        @Override
        public Accumulator emptyCopy() {
            return new Accumulator(terms, top, hops, this);
        }

        @Override
        public void reset() {
            Arrays.fill(gtg, 0);
            Arrays.fill(gtf, 0);
            Arrays.fill(occupancy, 0);
            ftf = 0;
            components = 0;
            frames = 0;
        }
    }

    /**
     * The angle i-j-k (radians, from its cosine as {@link BondedGeometry#angleGradient}) and its gradient with respect
     * to the three positions in s[12..14], s[15..17], s[18..20] (s length &gt;= 24); NaN when the angle is within
     * 1e-8 of 0 or pi, where the gradient is undefined.
     */
    public static double angleGradient(double[] x, int i, int j, int k, Box box, double[] s) {
        BondedGeometry.bond(x, j, i, box, s, 0); // u = R_i - R_j
        BondedGeometry.bond(x, j, k, box, s, 3); // v = R_k - R_j
        double theta = BondedGeometry.angleGradient(s, 0, s, 6);
        double sin = s[12];
        if (!(sin > 1e-8)) {
            return Double.NaN;
        }
        // d theta / d R = -(d cos / d R) / sin theta
        for (int d = 0; d < 3; d++) {
            double gi = -s[6 + d] / sin;
            double gk = -s[9 + d] / sin;
            s[12 + d] = gi;
            s[18 + d] = gk;
            s[15 + d] = -gi - gk;
        }
        return theta;
    }

    /**
     * The dihedral i-j-k-l (radians, IUPAC sign as {@link BondedGeometry#dihedral}) and its gradient with respect to
     * the four positions in s[12..23] (s length &gt;= 24, {@link BondedGeometry#dihedralGradient}); NaN when three of
     * the beads are collinear.
     */
    public static double dihedralGradient(double[] x, int i, int j, int k, int l, Box box, double[] s) {
        BondedGeometry.bond(x, i, j, box, s, 0); // b1 = R_j - R_i
        BondedGeometry.bond(x, j, k, box, s, 3); // b2 = R_k - R_j
        BondedGeometry.bond(x, k, l, box, s, 6); // b3 = R_l - R_k
        if (BondedGeometry.collinear(s, 0)) {
            return Double.NaN;
        }
        return BondedGeometry.dihedralGradient(s, 0, s, 12);
    }

    /** Solves the accumulated normal equations with the gauge, ties and walls described above. */
    public static Result solve(Accumulator acc, Options o) {
        if (acc.frames() == 0) {
            throw new IllegalArgumentException("no frames accumulated");
        }
        double kT = Units.KB * o.temperature();
        double wallStep = 3 * kT;
        List<FitTerm> terms = acc.terms();
        int m = acc.parameters();
        double[] occ = acc.occupancy;
        int[] tie = new int[m];
        double[] off = new double[m];
        int nt = terms.size();
        int[] lo = new int[nt];
        int[] hi = new int[nt];
        int[] lastFree = new int[nt];
        int free = 0;
        for (int q = 0; q < nt; q++) {
            FitTerm t = terms.get(q);
            CubicBSpline b = t.basis();
            int size = b.size();
            int base = acc.offset(q);
            boolean pair = t.kind() == InteractionKind.PAIR;
            double[] rel = new double[size];
            double max = 0;
            for (int k = 0; k < size; k++) {
                double c = occ[base + k];
                if (pair) {
                    double r = Math.max(b.lower() + (k - 1.5) * b.knotSpacing(), b.knotSpacing());
                    c /= r * r;
                }
                rel[k] = c;
                max = Math.max(max, c);
            }
            lo[q] = -1;
            hi[q] = -1;
            for (int k = 0; k < size; k++) {
                if (rel[k] > 0 && rel[k] >= o.minOccupancy() * max) {
                    if (lo[q] < 0) {
                        lo[q] = k;
                    }
                    hi[q] = k;
                }
            }
            int lf = pair ? Math.min(hi[q], size - 4) : hi[q];
            if (lo[q] < 0 || lf - lo[q] < 1) {
                throw new IllegalArgumentException(t.name() + ": the reference samples too little of the basis range [" + b.lower() + ", "
                        + b.upper() + "] to fit it (sampled functions " + lo[q] + ".." + hi[q] + " of " + size + ")");
            }
            lastFree[q] = lf;
            if (pair) {
                // free: lo..lf; below: follow lo (wall); lf+1 .. size-4: follow lf flat; last three fixed at 0
                for (int k = 0; k < size; k++) {
                    int slot = k < lo[q] ? 0 : k > lf ? lf - lo[q] : k - lo[q];
                    tie[base + k] = k >= size - 3 ? -1 : free + slot;
                }
                free += lf - lo[q] + 1;
            } else {
                // lo fixed at 0 (gauge); free: lo+1..hi; below: fixed wall; above: follow hi (wall)
                for (int k = 0; k < size; k++) {
                    tie[base + k] = k <= lo[q] ? -1 : free + (Math.min(k, hi[q]) - lo[q] - 1);
                }
                free += hi[q] - lo[q];
            }
        }
        double[] rough = FitTerm.roughness(terms);
        double[] theta = null;
        double auto = 0;
        for (int pass = 0; pass < 2; pass++) {
            Solved sv = solveTied(acc, tie, off, free, o, rough);
            theta = sv.theta;
            auto = sv.autoRidge;
            if (pass == 1) {
                break;
            }
            for (int q = 0; q < nt; q++) {
                int base = acc.offset(q);
                int size = terms.get(q).basis().size();
                int l = lo[q];
                double slopeLo = Math.max(wallStep, theta[base + l] - theta[base + l + 1]);
                for (int k = l - 1; k >= 0; k--) {
                    off[base + k] = off[base + k + 1] + slopeLo;
                }
                if (terms.get(q).kind() != InteractionKind.PAIR) {
                    int h = hi[q];
                    double slopeHi = Math.max(wallStep, theta[base + h] - theta[base + h - 1]);
                    for (int k = h + 1; k < size; k++) {
                        off[base + k] = off[base + k - 1] + slopeHi;
                    }
                }
            }
        }
        double rss = LeastSquares.residual(acc.gtg, acc.gtf, acc.ftf, theta);
        long n = acc.components();
        // bonded gauge: minimum 0 over the basis range
        double[] w = new double[4];
        for (int q = 0; q < nt; q++) {
            FitTerm t = terms.get(q);
            if (t.kind() == InteractionKind.PAIR) {
                continue;
            }
            CubicBSpline b = t.basis();
            int base = acc.offset(q);
            double[] c = Arrays.copyOfRange(theta, base, base + b.size());
            double min = Double.POSITIVE_INFINITY;
            int grid = 64 * (b.size() - 3);
            for (int i = 0; i <= grid; i++) {
                min = Math.min(min, b.combine(c, b.lower() + (b.upper() - b.lower()) * i / grid, w));
            }
            for (int k = 0; k < b.size(); k++) {
                theta[base + k] -= min;
                off[base + k] -= min;
            }
        }
        return new Result(theta, tie, off, free, lo, lastFree, auto, Math.sqrt(acc.ftf / n), Math.sqrt(Math.max(0, rss) / n), acc.frames(), acc.layout);
    }

    private record Solved(double[] theta, double autoRidge) {
    }

    /** theta = T z + offset; minimizes |F - G theta|^2 / n + ridge |z|^2 + rough theta^T R theta over z. */
    private static Solved solveTied(Accumulator acc, int[] tie, double[] off, int free, Options o, double[] rough) {
        int m = acc.parameters();
        double[] a = acc.gtg;
        long n = acc.components();
        double[] ar = new double[free * free];
        double[] rr = new double[free * free];
        double[] br = new double[free];
        // rhs: T^T (b - A off) - n rough T^T R off
        double[] aOff = new double[m];
        double[] rOff = new double[m];
        for (int i = 0; i < m; i++) {
            double sa = 0;
            double sr = 0;
            for (int j = 0; j < m; j++) {
                sa += a[i * m + j] * off[j];
                sr += rough[i * m + j] * off[j];
            }
            aOff[i] = sa;
            rOff[i] = sr;
        }
        for (int i = 0; i < m; i++) {
            int ti = tie[i];
            if (ti < 0) {
                continue;
            }
            br[ti] += acc.gtf[i] - aOff[i] - n * o.roughness() * rOff[i];
            for (int j = 0; j < m; j++) {
                int tj = tie[j];
                if (tj >= 0) {
                    ar[ti * free + tj] += a[i * m + j];
                    rr[ti * free + tj] += rough[i * m + j];
                }
            }
        }
        DMatrixRMaj sys = LeastSquares.system(ar, n, free, o.ridge(), o.roughness(), rr);
        double auto = LeastSquares.autoRidge(sys);
        double[] z = LeastSquares.solve(sys, br, n, auto);
        double[] theta = new double[m];
        for (int i = 0; i < m; i++) {
            theta[i] = (tie[i] < 0 ? 0 : z[tie[i]]) + off[i];
        }
        return new Solved(theta, auto);
    }

    /** Model forces of coefficients theta for one bead frame (a convenience for tests and diagnostics; allocates). */
    public static double[] forces(Accumulator acc, Frame frame, double[] theta) {
        int rows = 3 * frame.atoms;
        int m = acc.parameters();
        double[] g = new double[rows * m];
        acc.derivatives(frame, g, false);
        double[] f = new double[rows];
        for (int r = 0; r < rows; r++) {
            double v = 0;
            for (int k = 0; k < m; k++) {
                v += g[r * m + k] * theta[k];
            }
            f[r] = v;
        }
        return f;
    }
}
