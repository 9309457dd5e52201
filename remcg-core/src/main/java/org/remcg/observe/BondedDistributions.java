package org.remcg.observe;

import java.util.Arrays;
import org.remcg.io.Frame;
import org.remcg.system.CgTopology;
import org.remcg.system.InteractionKind;

/**
 * Histograms of bond lengths, bond angles and dihedral angles, one per label of the topology,
 * accumulated over frames (geometry by {@link BondedGeometry}: minimum image between
 * consecutive beads, IUPAC dihedral sign).
 *
 * <p>Ranges: bond lengths [bondMin, bondMax] nm, angles [0, pi], dihedrals [-pi, pi], each cut
 * into equal bins; a value equal to the upper end goes into the last bin. Values outside the
 * range (only possible for bonds) are counted apart ({@link #outside}). {@link #density} is a
 * probability density over the range: counts / (in-range count x bin width), so it integrates to
 * 1 over the range whatever falls outside.
 *
 * <p>Angles: p(theta) is the distribution of the angle itself. Its Boltzmann inversion needs the
 * Jacobian of the angle in 3-D: a uniform orientation gives p(theta) ~ sin(theta), so the
 * angular potential is U(theta) = -kT ln(p(theta) / sin(theta)) + const;
 * {@link #angleDensityOverSine} returns p / sin at the bin centres, renormalized to integral 1.
 * Dihedrals need no Jacobian; bond lengths need r^2 (not provided here).
 *
 * <p>Counts are integers, so merging is exact. Not thread-safe.
 */
public final class BondedDistributions implements FrameAccumulator<BondedDistributions> {

    private final CgTopology top;
    private final int[] bins = new int[3];
    private final double[] lo = new double[3];
    private final double[] hi = new double[3];
    private final String[][] labels = new String[3][];
    private final long[][] counts = new long[3][];
    private final long[][] outside = new long[3][];
    private final long[][] total = new long[3][];
    private final double[] scratch = new double[9];
    private long frames;

    /**
     * @param bondMin   lower end of the bond-length range (nm, &gt;= 0)
     * @param bondMax   upper end of the bond-length range (nm)
     * @param bondBins  bins for bond lengths
     * @param angleBins bins over [0, pi]
     * @param dihedralBins bins over [-pi, pi]
     */
    public BondedDistributions(CgTopology top, double bondMin, double bondMax, int bondBins, int angleBins, int dihedralBins) {
        this(top, new double[] {checked(bondMin, bondMax, bondBins, angleBins, dihedralBins), 0, -Math.PI}, new double[] {bondMax, Math.PI, Math.PI},
                new int[] {bondBins, angleBins, dihedralBins});
    }

    private static double checked(double bondMin, double bondMax, int bondBins, int angleBins, int dihedralBins) {
        if (!(bondMin >= 0) || !(bondMax > bondMin) || !Double.isFinite(bondMax) || bondBins < 1 || angleBins < 1 || dihedralBins < 1) {
            throw new IllegalArgumentException("bonded distributions need 0 <= bond min < bond max and at least one bin each, got ["
                    + bondMin + ", " + bondMax + "] nm and " + bondBins + ", " + angleBins + ", " + dihedralBins + " bins");
        }
        return bondMin;
    }

    /**
     * Own range and bin count for every kind (order: bond, angle, dihedral), e.g. the bins of a
     * target file. Ranges must lie within [0, inf), [0, pi] and [-pi, pi].
     */
    public BondedDistributions(CgTopology top, double[] lower, double[] upper, int[] binCounts) {
        double[] domLo = {0, 0, -Math.PI};
        double[] domHi = {Double.MAX_VALUE, Math.PI, Math.PI};
        for (int q = 0; q < 3; q++) {
            if (!(lower[q] >= domLo[q] - 1e-12) || !(upper[q] > lower[q]) || !(upper[q] <= domHi[q] + 1e-12) || binCounts[q] < 1
                    || binCounts[q] > 100_000_000) {
                throw new IllegalArgumentException("bonded distribution range [" + lower[q] + ", " + upper[q] + "] with " + binCounts[q]
                        + " bins is not valid for " + InteractionKind.BONDED.get(q).key() + "s");
            }
        }
        this.top = top;
        set(InteractionKind.BOND, lower[0], upper[0], binCounts[0], top.bondLabels());
        set(InteractionKind.ANGLE, lower[1], upper[1], binCounts[1], top.angleLabels());
        set(InteractionKind.DIHEDRAL, lower[2], upper[2], binCounts[2], top.dihedralLabels());
    }

    private void set(InteractionKind kind, double a, double b, int n, String[] names) {
        int q = kind.bondedIndex();
        lo[q] = a;
        hi[q] = b;
        bins[q] = n;
        labels[q] = names;
        counts[q] = new long[names.length * n];
        outside[q] = new long[names.length];
        total[q] = new long[names.length];
    }

    @Override
    public void accept(Frame frame) {
        if (frame.x == null || frame.atoms != top.size()) {
            throw new IllegalArgumentException("frame " + frame.index + ": has " + (frame.x == null ? 0 : frame.atoms)
                    + " positions, the topology has " + top.size() + " particles");
        }
        double[] x = frame.x;
        int[] b = top.bonds();
        int[] bl = top.bondLabel();
        for (int t = 0; t < bl.length; t++) {
            add(0, bl[t], BondedGeometry.length(x, b[2 * t], b[2 * t + 1], frame.box, scratch));
        }
        int[] a = top.angles();
        int[] al = top.angleLabel();
        for (int t = 0; t < al.length; t++) {
            add(1, al[t], BondedGeometry.angle(x, a[3 * t], a[3 * t + 1], a[3 * t + 2], frame.box, scratch));
        }
        int[] d = top.dihedrals();
        int[] dl = top.dihedralLabel();
        for (int t = 0; t < dl.length; t++) {
            add(2, dl[t], BondedGeometry.dihedral(x, d[4 * t], d[4 * t + 1], d[4 * t + 2], d[4 * t + 3], frame.box, scratch));
        }
        frames++;
    }

    private void add(int q, int label, double v) {
        total[q][label]++;
        int n = bins[q];
        double pos = (v - lo[q]) / (hi[q] - lo[q]) * n;
        int k = (int) Math.floor(pos);
        if (k == n && v == hi[q]) {
            k = n - 1;
        }
        if (!(k >= 0 && k < n)) { // also NaN (coincident beads)
            outside[q][label]++;
            return;
        }
        counts[q][label * n + k]++;
    }

    @Override
    public void merge(BondedDistributions other) {
        if (other.top != top || !Arrays.equals(other.bins, bins) || !Arrays.equals(other.lo, lo) || !Arrays.equals(other.hi, hi)) {
            throw new IllegalArgumentException("cannot merge bonded distributions with different settings");
        }
        for (int q = 0; q < 3; q++) {
            add(counts[q], other.counts[q]);
            add(outside[q], other.outside[q]);
            add(total[q], other.total[q]);
        }
        frames += other.frames;
    }

    private static void add(long[] a, long[] b) {
        for (int i = 0; i < a.length; i++) {
            a[i] += b[i];
        }
    }

    @Override
    public BondedDistributions emptyCopy() {
        return new BondedDistributions(top, lo.clone(), hi.clone(), bins.clone());
    }

    @Override
    public void reset() {
        for (int q = 0; q < 3; q++) {
            Arrays.fill(counts[q], 0);
            Arrays.fill(outside[q], 0);
            Arrays.fill(total[q], 0);
        }
        frames = 0;
    }

    public long frames() {
        return frames;
    }

    /** Labels of one kind, in topology order (index = label index of the topology). */
    public String[] labels(InteractionKind kind) {
        return labels[kind.bondedIndex()].clone();
    }

    public int bins(InteractionKind kind) {
        return bins[kind.bondedIndex()];
    }

    public double lower(InteractionKind kind) {
        return lo[kind.bondedIndex()];
    }

    public double upper(InteractionKind kind) {
        return hi[kind.bondedIndex()];
    }

    public double binWidth(InteractionKind kind) {
        int q = kind.bondedIndex();
        return (hi[q] - lo[q]) / bins[q];
    }

    /** Bin edges (nm or radians), one more than bins. */
    public double[] edges(InteractionKind kind) {
        int q = kind.bondedIndex();
        double[] e = new double[bins[q] + 1];
        for (int k = 0; k <= bins[q]; k++) {
            e[k] = lo[q] + (hi[q] - lo[q]) * k / bins[q];
        }
        return e;
    }

    /** Bin centres (nm or radians). */
    public double[] centres(InteractionKind kind) {
        int q = kind.bondedIndex();
        double w = binWidth(kind);
        double[] c = new double[bins[q]];
        for (int k = 0; k < c.length; k++) {
            c[k] = lo[q] + (k + 0.5) * w;
        }
        return c;
    }

    /** Count of terms with the label in bin k, summed over frames. */
    public long count(InteractionKind kind, int label, int k) {
        int q = kind.bondedIndex();
        return counts[q][label * bins[q] + k];
    }

    /** Values outside the range (or undefined: coincident beads). */
    public long outside(InteractionKind kind, int label) {
        return outside[kind.bondedIndex()][label];
    }

    /** All values seen for the label, inside and outside the range. */
    public long total(InteractionKind kind, int label) {
        return total[kind.bondedIndex()][label];
    }

    /** Probability density over the range (integral 1); throws when no value fell inside. */
    public double[] density(InteractionKind kind, int label) {
        int q = kind.bondedIndex();
        long inside = total[q][label] - outside[q][label];
        if (inside == 0) {
            throw new IllegalStateException("no " + kind.key() + " value of " + labels[q][label] + " inside the range");
        }
        double w = binWidth(kind);
        double[] p = new double[bins[q]];
        for (int k = 0; k < p.length; k++) {
            p[k] = counts[q][label * bins[q] + k] / (inside * w);
        }
        return p;
    }

    /**
     * p(theta) / sin(theta) at the bin centres, normalized to integral 1 over [0, pi]: the angle
     * distribution without the 3-D Jacobian, the quantity whose -kT ln is the angular potential.
     */
    public double[] angleDensityOverSine(int label) {
        double[] p = density(InteractionKind.ANGLE, label);
        double[] c = centres(InteractionKind.ANGLE);
        double w = binWidth(InteractionKind.ANGLE);
        double sum = 0;
        for (int k = 0; k < p.length; k++) {
            p[k] /= Math.sin(c[k]);
            sum += p[k] * w;
        }
        for (int k = 0; k < p.length; k++) {
            p[k] /= sum;
        }
        return p;
    }
}
