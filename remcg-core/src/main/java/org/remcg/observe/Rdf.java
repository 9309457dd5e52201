package org.remcg.observe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.remcg.io.Frame;
import org.remcg.system.CgTopology;

/**
 * Radial distribution functions g_AB(r) between bead types, accumulated frame by frame.
 *
 * <p>Per frame, every non-excluded pair of the requested type pairs closer than r_max is found by
 * {@link PairSearch} (cell list, minimum image, orthorhombic or triclinic boxes) and counted
 * once, in bin floor(r / w). Bins are [k w, (k + 1) w) for k &lt; K = ceil(r_max / w), so the
 * range actually covered is K w (called {@link #rmax()}); it must not exceed half the shortest
 * box height of any frame (an error naming the frame otherwise). {@link Binning#GROMACS} shifts
 * the bins by half a width, as gmx rdf does. Exclusions come from
 * {@link CgTopology#exclusions(int)} with the given number of bond hops (0: none,
 * {@code Integer.MAX_VALUE}: every intramolecular pair).
 *
 * <p>What is stored: the raw pair counts n_AB(k) summed over frames (each unordered pair once,
 * also for A = B), the frame count F and S = sum over frames of 1 / V_f. These merge exactly
 * (counts) or in frame order (S), so partial accumulators over frame ranges can be combined.
 *
 * <p>Normalization, g_AB(k) = n_AB(k) / (P_AB S dV_k) with the exact shell volume dV_k =
 * 4/3 pi ((k+1)^3 - k^3) w^3, i.e. the counts divided by what an ideal gas with the same pair
 * number would give in each frame's own volume. P_AB depends on the {@link Normalization}:
 * <ul>
 *   <li>{@code EXCLUSION_CORRECTED} (default): the number of distinct pairs that can be counted,
 *       N_A N_B (A != B) or N_A (N_A - 1) / 2 (A = B), minus the excluded AB pairs. Then g = 1 at
 *       all r for molecules placed independently at random, whatever their size and the
 *       exclusions.</li>
 *   <li>{@code DISTINCT_PAIRS}: N_A N_B or N_A (N_A - 1) / 2, exclusions ignored (the
 *       textbook form; g tends to (P - E) / P instead of 1 at large r when pairs are excluded).</li>
 *   <li>{@code GROMACS}: what {@code gmx rdf} (default {@code -norm rdf}) computes with
 *       {@code -ref A -sel B}: ordered pairs (a like pair counts twice) over N_A N_B, never
 *       corrected for exclusions; gmx averages the histogram over frames, divides by the average
 *       number of reference positions and by the frame average of N_B / V, which is the formula
 *       above with S. For A = B this is (N_A - 1) / N_A times the distinct-pairs value. To
 *       compare bin by bin, also use {@link Binning#GROMACS}: gmx centres its bins on multiples
 *       of the width (checked against gmx rdf 2023 in the tests). (With
 *       {@code -noexcl} and overlapping groups, gmx may also count each particle with itself at
 *       r = 0 in its first bin; this class never counts self pairs.)</li>
 * </ul>
 * Not thread-safe; {@link FrameDriver} gives each thread its own copy.
 */
public final class Rdf implements FrameAccumulator<Rdf> {

    /** How the ideal-gas pair count is formed; see the class description. */
    public enum Normalization { EXCLUSION_CORRECTED, DISTINCT_PAIRS, GROMACS }

    /**
     * Where the bins lie. {@code EDGES}: bin k = [k w, (k + 1) w), K = ceil(r_max / w) bins.
     * {@code GROMACS}: bin k = [(k - 1/2) w, (k + 1/2) w) clipped at 0, K = round(r_max / w)
     * bins, as {@code gmx rdf} bins (it prints k w as r; the range counted ends at (K - 1/2) w).
     * {@code SHIFTED}: bin k = [(k - s) w, (k + 1 - s) w) clipped at 0 for another shift s in (0, 1).
     */
    public enum Binning { EDGES, GROMACS, SHIFTED }

    /** Where the radial bins lie: bin k = [(k - shift) w, (k + 1 - shift) w) clipped at 0, shift in [0, 1). */
    private record Bins(double width, double shift, Binning binning) {
        double lower(int k) {
            return Math.max(0, (k - shift) * width);
        }

        double upper(int k) {
            return (k + 1 - shift) * width;
        }
    }

    private final CgTopology top;
    private final int hops;
    private final Bins radial;
    private final int bins;
    private final int[] pairA;
    private final int[] pairB;
    private final int[] slotOf;     // types x types -> pair slot or -1
    private final int[] slotBase;   // types x types -> slot * bins or -1
    private final long[] particles; // per type
    private final long[] excluded;  // per slot: excluded pairs
    private final PairSearch search;

    private final long[] counts;
    private long frames;
    private double invVolumeSum;

    /** All type pairs A &lt;= B. */
    public Rdf(CgTopology top, double rmax, double binWidth, int hops) {
        this(top, rmax, binWidth, hops, allPairs(top.types()));
    }

    /**
     * Chosen type pairs.
     *
     * @param pairs type-index pairs {a, b}; order inside a pair does not matter, duplicates are an error
     */
    public Rdf(CgTopology top, double rmax, double binWidth, int hops, int[][] pairs) {
        this(top, rmax, binWidth, hops, pairs, Binning.EDGES, null);
    }

    /** Chosen type pairs (null: all A &lt;= B) and binning. */
    public Rdf(CgTopology top, double rmax, double binWidth, int hops, int[][] pairs, Binning binning) {
        this(top, rmax, binWidth, hops, pairs == null ? allPairs(top.types()) : pairs, binning, null);
    }

    private Rdf(CgTopology top, double rmax, double binWidth, int hops, int[][] pairs, Binning binning, Rdf template) {
        this(top, binWidth, binning == Binning.GROMACS ? 0.5 : 0.0, binCount(rmax, binWidth, binning), hops, pairs, binning, template);
    }

    private static int binCount(double rmax, double binWidth, Binning binning) {
        if (!(binWidth > 0) || !(rmax > 0) || !Double.isFinite(rmax) || rmax / binWidth > 100_000_000) {
            throw new IllegalArgumentException("RDF needs 0 < bin width and r_max with at most 1e8 bins, got width " + binWidth + " nm, r_max "
                    + rmax + " nm");
        }
        return binning == Binning.GROMACS ? (int) Math.max(1, Math.round(rmax / binWidth)) : (int) Math.ceil(rmax / binWidth - 1e-9);
    }

    /**
     * Bins of width w shifted by a fraction of a bin: bin k = [(k - shift) w, (k + 1 - shift) w), the
     * first clipped at 0, K bins (e.g. to count on the bins of a target file whose edges are not
     * multiples of w).
     *
     * @param shift in [0, 1)
     */
    public Rdf(CgTopology top, double binWidth, double shift, int bins, int hops, int[][] pairs) {
        this(top, binWidth, shift, bins, hops, pairs, shift == 0 ? Binning.EDGES : shift == 0.5 ? Binning.GROMACS : Binning.SHIFTED, null);
    }

    private Rdf(CgTopology top, double binWidth, double shift, int bins, int hops, int[][] pairs, Binning binning, Rdf template) {
        if (!(binWidth > 0) || bins < 1 || bins > 100_000_000 || !(shift >= 0 && shift < 1)) {
            throw new IllegalArgumentException("RDF needs a positive bin width, 1 to 1e8 bins and a shift in [0, 1), got width " + binWidth
                    + " nm, " + bins + " bins, shift " + shift);
        }
        if (pairs.length == 0) {
            throw new IllegalArgumentException("RDF needs at least one type pair");
        }
        this.top = top;
        this.hops = hops;
        this.radial = new Bins(binWidth, shift, binning);
        this.bins = bins;
        int t = top.types();
        this.slotOf = new int[t * t];
        Arrays.fill(slotOf, -1);
        this.pairA = new int[pairs.length];
        this.pairB = new int[pairs.length];
        boolean[] wanted = new boolean[t * t];
        for (int s = 0; s < pairs.length; s++) {
            int a = Math.min(pairs[s][0], pairs[s][1]);
            int b = Math.max(pairs[s][0], pairs[s][1]);
            if (a < 0 || b >= t) {
                throw new IllegalArgumentException("type index out of range 0.." + (t - 1) + " in RDF pair " + pairs[s][0] + "," + pairs[s][1]);
            }
            if (slotOf[a * t + b] >= 0) {
                throw new IllegalArgumentException("RDF pair " + top.typeName(a) + "-" + top.typeName(b) + " given twice");
            }
            pairA[s] = a;
            pairB[s] = b;
            slotOf[a * t + b] = s;
            slotOf[b * t + a] = s;
            wanted[a * t + b] = wanted[b * t + a] = true;
        }
        this.particles = new long[t];
        for (int ty : top.type()) {
            particles[ty]++;
        }
        if (template != null) {
            this.excluded = template.excluded;
            this.search = template.search.copy();
        } else {
            CgTopology.Exclusions ex = top.exclusions(hops);
            this.excluded = new long[pairs.length];
            int[] type = top.type();
            int[] start = ex.start();
            int[] partners = ex.partners();
            for (int i = 0; i < top.size(); i++) {
                for (int e = start[i]; e < start[i + 1]; e++) {
                    int s = slotOf[type[i] * t + type[partners[e]]];
                    if (s >= 0) {
                        excluded[s]++;
                    }
                }
            }
            this.search = new PairSearch(top, ex, wanted);
        }
        if ((long) pairs.length * bins > 100_000_000) {
            throw new IllegalArgumentException("RDF of " + pairs.length + " type pairs x " + bins + " bins is more than 1e8 counts");
        }
        this.counts = new long[pairs.length * bins];
        this.slotBase = new int[t * t];
        for (int k = 0; k < t * t; k++) {
            slotBase[k] = slotOf[k] < 0 ? -1 : slotOf[k] * bins;
        }
    }

    private static int[][] allPairs(int types) {
        List<int[]> p = new ArrayList<>();
        for (int a = 0; a < types; a++) {
            for (int b = a; b < types; b++) {
                p.add(new int[] {a, b});
            }
        }
        return p.toArray(new int[0][]);
    }

    @Override
    public void accept(Frame frame) {
        search.histogram(frame, rmax(), slotBase, radial.width(), radial.shift(), bins, counts);
        frames++;
        invVolumeSum += 1 / frame.box.volume();
    }

    @Override
    public void merge(Rdf other) {
        if (other.top != top || other.bins != bins || other.radial.shift() != radial.shift() || other.radial.width() != radial.width() || other.hops != hops
                || !Arrays.equals(other.slotOf, slotOf)) {
            throw new IllegalArgumentException("cannot merge RDFs with different settings");
        }
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        frames += other.frames;
        invVolumeSum += other.invVolumeSum;
    }

    @Override
    public Rdf emptyCopy() {
        int[][] pairs = new int[pairA.length][];
        for (int s = 0; s < pairs.length; s++) {
            pairs[s] = new int[] {pairA[s], pairB[s]};
        }
        return new Rdf(top, radial.width(), radial.shift(), bins, hops, pairs, radial.binning(), this);
    }

    @Override
    public void reset() {
        Arrays.fill(counts, 0);
        frames = 0;
        invVolumeSum = 0;
    }

    /** Upper end of the last bin, (K - shift) w (nm): the largest distance counted. */
    public double rmax() {
        return (bins - radial.shift()) * radial.width();
    }

    public int bins() {
        return bins;
    }

    /** Number of type pairs. */
    public int pairCount() {
        return pairA.length;
    }

    /** Name of pair s, e.g. {@code "A-B"}. */
    public String pairName(int s) {
        return top.typeName(pairA[s]) + "-" + top.typeName(pairB[s]);
    }

    /** Slot of the type pair (a, b) in either order, or -1 when it is not accumulated. */
    public int slot(int a, int b) {
        return slotOf[a * top.types() + b];
    }

    public long frames() {
        return frames;
    }

    /** Sum over frames of 1 / V (nm^-3). */
    public double inverseVolumeSum() {
        return invVolumeSum;
    }

    /** Raw count of pair s in bin k, summed over frames (each unordered pair once). */
    public long count(int s, int k) {
        return counts[s * bins + k];
    }

    /** Raw counts of pair s over all bins (a copy). */
    public long[] counts(int s) {
        return Arrays.copyOfRange(counts, s * bins, (s + 1) * bins);
    }

    /** Number of excluded pairs of type pair s (all distances). */
    public long excludedPairs(int s) {
        return excluded[s];
    }

    /** Bin edges: K + 1 values, the first clipped at 0. */
    public double[] binEdges() {
        double[] e = new double[bins + 1];
        for (int k = 0; k <= bins; k++) {
            e[k] = radial.lower(k);
        }
        return e;
    }

    /** Bin centres: (k + 1/2) w, or k w with GROMACS binning (what gmx prints; bin 0 is then [0, w/2)). */
    public double[] binCentres() {
        double[] r = new double[bins];
        for (int k = 0; k < bins; k++) {
            r[k] = (k + 0.5 - radial.shift()) * radial.width();
        }
        return r;
    }

    /** Exact volume of shell k: 4/3 pi (r_hi^3 - r_lo^3) with the bin's edges. */
    public double shellVolume(int k) {
        double r1 = radial.lower(k);
        double r2 = radial.upper(k);
        return 4.0 / 3.0 * Math.PI * (r2 * r2 * r2 - r1 * r1 * r1);
    }

    /** The pair number P_AB of the normalization (see the class description). */
    public double idealPairs(int s, Normalization norm) {
        long na = particles[pairA[s]];
        long nb = particles[pairB[s]];
        boolean like = pairA[s] == pairB[s];
        return switch (norm) {
            case EXCLUSION_CORRECTED -> (like ? na * (na - 1) / 2.0 : (double) na * nb) - excluded[s];
            case DISTINCT_PAIRS -> like ? na * (na - 1) / 2.0 : (double) na * nb;
            case GROMACS -> (double) na * nb;
        };
    }

    /** g(r) of pair s at the bin centres with the default (exclusion-corrected) normalization. */
    public double[] g(int s) {
        return g(s, Normalization.EXCLUSION_CORRECTED);
    }

    /** g(r) of pair s at the bin centres. Throws when no frame was accumulated or no pair can be counted. */
    public double[] g(int s, Normalization norm) {
        if (frames == 0) {
            throw new IllegalStateException("no frames accumulated");
        }
        double p = idealPairs(s, norm);
        if (!(p > 0)) {
            throw new IllegalStateException("RDF " + pairName(s) + ": no pair can be counted (" + p + " pairs after exclusions)");
        }
        double factor = norm == Normalization.GROMACS && pairA[s] == pairB[s] ? 2 : 1;
        double[] g = new double[bins];
        for (int k = 0; k < bins; k++) {
            g[k] = factor * counts[s * bins + k] / (p * invVolumeSum * shellVolume(k));
        }
        return g;
    }

    /**
     * Mean number of B particles within distance (k + 1) w of an A particle, from the raw counts
     * (for A = B each pair is seen from both ends). This is the integral of rho_B g(r) 4 pi r^2.
     */
    public double[] coordination(int s) {
        long na = particles[pairA[s]];
        double[] c = new double[bins];
        double acc = 0;
        double per = pairA[s] == pairB[s] ? 2.0 / (na * (double) frames) : 1.0 / (na * (double) frames);
        for (int k = 0; k < bins; k++) {
            acc += counts[s * bins + k];
            c[k] = acc * per;
        }
        return c;
    }

    /** Number of particles of type t. */
    public long particles(int t) {
        return particles[t];
    }
}
