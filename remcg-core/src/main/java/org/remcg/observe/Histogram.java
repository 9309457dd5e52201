package org.remcg.observe;

/** Counts of 1-D or 2-D samples in uniform bins over a fixed range (samples outside are counted apart). */
public final class Histogram {

    /** One axis: {@code bins} uniform bins over [min, max]. */
    public record Axis(double min, double max, int bins) {
        public Axis {
            if (!(max > min) || bins < 1) {
                throw new IllegalArgumentException("histogram needs a non-empty range and at least one bin");
            }
        }

        /** The bin of v (the upper end max counts in the last bin); below 0 or at least {@code bins} when v is outside. */
        int bin(double v) {
            int i = (int) Math.floor((v - min) / (max - min) * bins);
            return i == bins && v == max ? bins - 1 : i;
        }

        public double center(int i) {
            return min + (i + 0.5) * (max - min) / bins;
        }

        public double binWidth() {
            return (max - min) / bins;
        }
    }

    private final Axis x;
    private final Axis y;
    private final long[] counts;
    private long outside;
    private long total;

    /** A 1-D histogram. */
    public Histogram(double xmin, double xmax, int bins) {
        this(xmin, xmax, bins, 0, 1, 1);
    }

    /** A 2-D histogram (ny = 1 gives a 1-D one). */
    public Histogram(double xmin, double xmax, int nx, double ymin, double ymax, int ny) {
        this(new Axis(xmin, xmax, nx), new Axis(ymin, ymax, ny));
    }

    private Histogram(Axis x, Axis y) {
        this.x = x;
        this.y = y;
        this.counts = new long[x.bins() * y.bins()];
    }

    /** Counts (vx, vy); with one bin along y, vy is not looked at. */
    public void add(double vx, double vy) {
        total++;
        int ny = y.bins();
        int i = x.bin(vx);
        int j = ny == 1 ? 0 : y.bin(vy);
        if (i < 0 || i >= x.bins() || j < 0 || j >= ny) {
            outside++;
            return;
        }
        counts[i * ny + j]++;
    }

    /** Adds the counts of a histogram with the same bins. */
    public void add(Histogram other) {
        if (!sameBins(other.x, x) || !sameBins(other.y, y)) {
            throw new IllegalArgumentException("histograms have different bins");
        }
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        outside += other.outside;
        total += other.total;
    }

    private static boolean sameBins(Axis a, Axis b) {
        return a.bins() == b.bins() && a.min() == b.min() && a.max() == b.max();
    }

    /** An empty histogram with the same bins. */
    public Histogram emptyCopy() {
        return new Histogram(x, y);
    }

    /** The x axis. */
    public Axis x() {
        return x;
    }

    /** The y axis (one bin over [0, 1] for a 1-D histogram). */
    public Axis y() {
        return y;
    }

    public long total() {
        return total;
    }

    public long outside() {
        return outside;
    }

    public long count(int i, int j) {
        return counts[i * y.bins() + j];
    }

    /** Probability density estimate in bin (i, j): count / (total * bin volume). */
    public double density(int i, int j) {
        double vol = x.binWidth() * (y.bins() == 1 ? 1 : y.binWidth());
        return counts[i * y.bins() + j] / (total * vol);
    }
}
