package org.remcg.observe;

import java.util.Arrays;

/**
 * Streaming accumulator of per-sample feature vectors in contiguous blocks.
 *
 * <p>Samples are summed into blocks of equal size in arrival order. When the number of blocks
 * reaches {@code 2 * minBlocks}, neighbouring blocks are merged pairwise and the block size
 * doubles, so between minBlocks and 2 minBlocks blocks are kept whatever the number of samples
 * (constant memory). The blocks give the overall mean, block-averaging standard errors (which
 * account for correlation between nearby samples when blocks are longer than the correlation
 * time), and the training / held-out splits of blocked K-fold cross-validation. Because an
 * exponential-family log-likelihood is linear in the features, those sums are all that fitting
 * and scoring need.
 */
public final class FeatureBlocks {
    /** Default lower bound on the number of blocks kept. */
    public static final int DEFAULT_MIN_BLOCKS = 1024;

    private final int m;
    private final int minBlocks;
    private double[] sums;
    private long[] counts;
    private int blocks;          // completed or open blocks in use
    private long blockSize = 1;  // samples per full block
    private long total;

    public FeatureBlocks(int features) {
        this(features, DEFAULT_MIN_BLOCKS);
    }

    public FeatureBlocks(int features, int minBlocks) {
        if (features < 1 || minBlocks < 1) {
            throw new IllegalArgumentException("need at least one feature and one block");
        }
        this.m = features;
        this.minBlocks = minBlocks;
        this.sums = new double[2 * minBlocks * features];
        this.counts = new long[2 * minBlocks];
    }

    public int features() {
        return m;
    }

    /** Adds one sample given by its non-zero features. */
    public void add(int n, int[] idx, double[] val) {
        if (blocks == 0 || counts[blocks - 1] == blockSize) {
            if (blocks == 2 * minBlocks) {
                merge();
            }
            blocks++;
        }
        int b = blocks - 1;
        int base = b * m;
        for (int k = 0; k < n; k++) {
            sums[base + idx[k]] += val[k];
        }
        counts[b]++;
        total++;
    }

    /**
     * Appends the blocks of another accumulator (samples that come after this one's, e.g. the
     * next chunk of a file read in parallel), then merges neighbouring blocks pairwise while more
     * than 2 minBlocks are in use. Merging per-chunk accumulators in chunk order gives a result
     * that depends only on the chunking, not on which thread read which chunk.
     */
    public void append(FeatureBlocks other) {
        if (other.m != m) {
            throw new IllegalArgumentException("cannot append " + other.m + " features to " + m);
        }
        int total = blocks + other.blocks;
        double[] s = new double[Math.max(sums.length, total * m)];
        long[] c = new long[Math.max(counts.length, total)];
        System.arraycopy(sums, 0, s, 0, blocks * m);
        System.arraycopy(counts, 0, c, 0, blocks);
        System.arraycopy(other.sums, 0, s, blocks * m, other.blocks * m);
        System.arraycopy(other.counts, 0, c, blocks, other.blocks);
        while (total > 2 * minBlocks) {
            int half = (total + 1) / 2;
            for (int b = 0; b < half; b++) {
                int a1 = 2 * b;
                int a2 = 2 * b + 1;
                for (int i = 0; i < m; i++) {
                    s[b * m + i] = s[a1 * m + i] + (a2 < total ? s[a2 * m + i] : 0);
                }
                c[b] = c[a1] + (a2 < total ? c[a2] : 0);
            }
            Arrays.fill(s, half * m, total * m, 0.0);
            Arrays.fill(c, half, total, 0L);
            total = half;
        }
        long largest = 1;
        for (int b = 0; b < total; b++) {
            largest = Math.max(largest, c[b]);
        }
        // keep the arrays at their working size (2 minBlocks blocks) for further add() calls
        sums = Arrays.copyOf(s, 2 * minBlocks * m);
        counts = Arrays.copyOf(c, 2 * minBlocks);
        blocks = total;
        blockSize = Math.max(blockSize, largest);
        this.total += other.total;
    }

    private void merge() {
        for (int b = 0; b < minBlocks; b++) {
            int dst = b * m;
            int s1 = 2 * b * m;
            int s2 = s1 + m;
            for (int i = 0; i < m; i++) {
                sums[dst + i] = sums[s1 + i] + sums[s2 + i];
            }
            counts[b] = counts[2 * b] + counts[2 * b + 1];
        }
        Arrays.fill(sums, minBlocks * m, sums.length, 0.0);
        Arrays.fill(counts, minBlocks, counts.length, 0L);
        blocks = minBlocks;
        blockSize *= 2;
    }

    /** Number of samples added. */
    public long count() {
        return total;
    }

    /** Number of blocks in use. */
    public int blocks() {
        return blocks;
    }

    /** Samples in block b. */
    public long blockCount(int b) {
        return counts[b];
    }

    /** Mean feature vector over all samples. */
    public double[] mean() {
        return mean(0, blocks, false);
    }

    /**
     * Mean over blocks [from, to), or over all other blocks when complement is true (the
     * training part of a cross-validation fold).
     */
    public double[] mean(int from, int to, boolean complement) {
        double[] out = new double[m];
        long n = 0;
        for (int b = 0; b < blocks; b++) {
            boolean inside = b >= from && b < to;
            if (inside == complement) {
                continue;
            }
            n += counts[b];
            int base = b * m;
            for (int i = 0; i < m; i++) {
                out[i] += sums[base + i];
            }
        }
        if (n == 0) {
            throw new IllegalStateException("no samples in the requested blocks");
        }
        for (int i = 0; i < m; i++) {
            out[i] /= n;
        }
        return out;
    }

    /** Number of samples in blocks [from, to), or outside them when complement is true. */
    public long count(int from, int to, boolean complement) {
        long n = 0;
        for (int b = 0; b < blocks; b++) {
            boolean inside = b >= from && b < to;
            if (inside != complement) {
                n += counts[b];
            }
        }
        return n;
    }

    /**
     * Standard error of each feature's mean from the scatter of block means:
     * SE^2 = sum_b n_b (mean_b - mean)^2 / ((B - 1) N). NaN with fewer than two blocks.
     */
    public double[] standardErrors() {
        double[] mean = mean();
        double[] var = new double[m];
        if (blocks < 2) {
            Arrays.fill(var, Double.NaN);
            return var;
        }
        for (int b = 0; b < blocks; b++) {
            double nb = counts[b];
            int base = b * m;
            for (int i = 0; i < m; i++) {
                double d = sums[base + i] / nb - mean[i];
                var[i] += nb * d * d;
            }
        }
        for (int i = 0; i < m; i++) {
            var[i] = Math.sqrt(var[i] / ((blocks - 1) * (double) total));
        }
        return var;
    }

    /** Block boundaries [start_k, start_{k+1}) of K contiguous folds of near-equal sample counts. */
    public int[] foldBoundaries(int folds) {
        if (folds < 2 || folds > blocks) {
            throw new IllegalArgumentException("cannot split " + total + " samples in " + blocks + " blocks into " + folds + " folds");
        }
        int[] bounds = new int[folds + 1];
        long acc = 0;
        int k = 1;
        for (int b = 0; b < blocks && k < folds; b++) {
            acc += counts[b];
            if (acc * folds >= k * total) {
                bounds[k++] = b + 1;
            }
        }
        bounds[folds] = blocks;
        for (int i = 1; i <= folds; i++) {
            if (bounds[i] <= bounds[i - 1]) {
                throw new IllegalArgumentException("too few samples (" + total + ") for " + folds + " folds");
            }
        }
        return bounds;
    }
}
