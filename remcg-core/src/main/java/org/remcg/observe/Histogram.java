package org.remcg.observe;

/** Counts of 1-D or 2-D samples in uniform bins over a fixed range (samples outside are counted apart). */
public final class Histogram {
    private final double xmin;
    private final double xmax;
    private final double ymin;
    private final double ymax;
    private final int nx;
    private final int ny;
    private final long[] counts;
    private long outside;
    private long total;

    /** A 1-D histogram. */
    public Histogram(double xmin, double xmax, int bins) {
        this(xmin, xmax, bins, 0, 1, 1);
    }

    /** A 2-D histogram (ny = 1 gives a 1-D one). */
    public Histogram(double xmin, double xmax, int nx, double ymin, double ymax, int ny) {
        if (!(xmax > xmin) || !(ymax > ymin) || nx < 1 || ny < 1) {
            throw new IllegalArgumentException("histogram needs a non-empty range and at least one bin");
        }
        this.xmin = xmin;
        this.xmax = xmax;
        this.ymin = ymin;
        this.ymax = ymax;
        this.nx = nx;
        this.ny = ny;
        this.counts = new long[nx * ny];
    }

    public void add(double x, double y) {
        total++;
        int i = (int) Math.floor((x - xmin) / (xmax - xmin) * nx);
        int j = ny == 1 ? 0 : (int) Math.floor((y - ymin) / (ymax - ymin) * ny);
        if (i == nx && x == xmax) {
            i = nx - 1;
        }
        if (j == ny && y == ymax) {
            j = ny - 1;
        }
        if (i < 0 || i >= nx || j < 0 || j >= ny) {
            outside++;
            return;
        }
        counts[i * ny + j]++;
    }

    /** Adds the counts of a histogram with the same bins. */
    public void add(Histogram other) {
        if (other.nx != nx || other.ny != ny || other.xmin != xmin || other.xmax != xmax || other.ymin != ymin || other.ymax != ymax) {
            throw new IllegalArgumentException("histograms have different bins");
        }
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        outside += other.outside;
        total += other.total;
    }

    /** An empty histogram with the same bins. */
    public Histogram emptyCopy() {
        return new Histogram(xmin, xmax, nx, ymin, ymax, ny);
    }

    public int binsX() { return nx; }
    public int binsY() { return ny; }
    public double xmin() { return xmin; }
    public double xmax() { return xmax; }
    public double ymin() { return ymin; }
    public double ymax() { return ymax; }
    public long total() { return total; }
    public long outside() { return outside; }

    public long count(int i, int j) {
        return counts[i * ny + j];
    }

    public double centerX(int i) {
        return xmin + (i + 0.5) * (xmax - xmin) / nx;
    }

    public double centerY(int j) {
        return ymin + (j + 0.5) * (ymax - ymin) / ny;
    }

    /** Probability density estimate in bin (i, j): count / (total * bin volume). */
    public double density(int i, int j) {
        double vol = (xmax - xmin) / nx * (ny == 1 ? 1 : (ymax - ymin) / ny);
        return counts[i * ny + j] / (total * vol);
    }
}
