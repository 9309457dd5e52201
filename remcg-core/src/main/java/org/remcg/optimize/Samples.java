package org.remcg.optimize;

import java.util.Arrays;

/**
 * Per-frame feature vectors of one model simulation, stored densely (frames x features,
 * row-major), together with the parameters they were sampled at. For a linear model
 * U = theta . phi this is all that reweighting to other parameters needs.
 *
 * <p>Block statistics use {@code blocks} contiguous blocks of equal length (the last frames
 * that do not fill a block are dropped from the error estimate only); frames of a trajectory
 * are correlated, and blocks longer than the correlation time make the error estimate honest.
 * The frames may come from several independent chains (replicas), each an equal run of
 * consecutive frames: then every block lies within one chain ({@link #chains()}).
 *
 * @param theta  parameters of the model that produced the frames (copied in, and {@link #theta()} gives a copy)
 * @param phi    frames x m feature values, row-major (not copied: the caller hands it over; do not modify)
 * @param frames number of frames
 * @param chains independent chains the frames come from (1: one trajectory)
 */
public record Samples(double[] theta, double[] phi, int frames, int chains) {

    /**
     * @param theta  parameters of the model that produced the frames (copied)
     * @param phi    frames x m feature values, row-major (not copied: the caller hands it over)
     * @param frames number of frames
     */
    public Samples(double[] theta, double[] phi, int frames) {
        this(theta, phi, frames, 1);
    }

    /**
     * Frames of {@code chains} independent chains, chain after chain, each {@code frames / chains} frames long.
     */
    public Samples {
        if (frames < 1) {
            throw new IllegalArgumentException("a sample set needs at least one frame");
        }
        if (chains < 1 || frames % chains != 0) {
            throw new IllegalArgumentException(frames + " frames do not split into " + chains + " chains of equal length");
        }
        if (theta.length == 0 || phi.length < (long) frames * theta.length) {
            throw new IllegalArgumentException("feature array too short: " + phi.length + " < " + frames + " x " + theta.length);
        }
        theta = theta.clone();
    }

    /** Number of features m. */
    public int features() {
        return theta.length;
    }

    /** Parameters the frames were sampled at (copy). */
    @Override
    public double[] theta() {
        return theta.clone();
    }

    /** Feature k of frame t. */
    public double phi(int t, int k) {
        return phi[t * theta.length + k];
    }

    /** Plain mean over frames. */
    public double[] mean() {
        int m = theta.length;
        double[] mu = new double[m];
        for (int t = 0; t < frames; t++) {
            int base = t * m;
            for (int k = 0; k < m; k++) {
                mu[k] += phi[base + k];
            }
        }
        for (int k = 0; k < m; k++) {
            mu[k] /= frames;
        }
        return mu;
    }

    /**
     * Variance of the mean of each feature from {@code blocks} block averages
     * (s^2 of the block means / blocks); 0 for a constant feature; NaN with fewer than 2 blocks.
     */
    public double[] varianceOfMean(int blocks) {
        int m = theta.length;
        double[] var = new double[m];
        double[] bm = blockMeans(blocks);
        if (bm == null) {
            Arrays.fill(var, Double.NaN);
            return var;
        }
        int b = bm.length / m;
        double[] mu = new double[m];
        for (int j = 0; j < b; j++) {
            for (int k = 0; k < m; k++) {
                mu[k] += bm[j * m + k] / b;
            }
        }
        for (int j = 0; j < b; j++) {
            for (int k = 0; k < m; k++) {
                double d = bm[j * m + k] - mu[k];
                var[k] += d * d;
            }
        }
        for (int k = 0; k < m; k++) {
            var[k] /= (double) (b - 1) * b;
        }
        return var;
    }

    /**
     * Means of {@code blocks} contiguous blocks of equal length (blocks x features, row-major);
     * the frames that do not fill a block are left out. Null with fewer than 2 blocks. With
     * several chains, each chain is cut into max(1, blocks / chains) blocks of its own (a chain
     * is never split across blocks), so the blocks number about {@code blocks} and at least the chains.
     */
    public double[] blockMeans(int blocks) {
        int m = theta.length;
        int run = frames / chains;
        int per = chains == 1 ? Math.min(blocks, frames) : Math.min(run, Math.max(1, blocks / chains));
        int b = per * chains;
        if (b < 2) {
            return null;
        }
        int len = run / per;
        double[] bm = new double[b * m];
        for (int j = 0; j < b; j++) {
            int first = (j / per) * run + (j % per) * len;
            for (int t = first; t < first + len; t++) {
                int base = t * m;
                for (int k = 0; k < m; k++) {
                    bm[j * m + k] += phi[base + k];
                }
            }
            for (int k = 0; k < m; k++) {
                bm[j * m + k] /= len;
            }
        }
        return bm;
    }

    /**
     * Variance of the mean of the projection d . phi_t (a scalar per frame) from block means
     * ({@link #blockMeans}): s^2 of the projected block means / blocks; NaN without blocks.
     */
    public static double varianceOfMean(double[] blockMeans, double[] d) {
        if (blockMeans == null) {
            return Double.NaN;
        }
        int m = d.length;
        int b = blockMeans.length / m;
        if (b < 2 || blockMeans.length != b * m) {
            throw new IllegalArgumentException("block means do not fit a direction of " + m + " components");
        }
        double[] p = new double[b];
        double mu = 0;
        for (int j = 0; j < b; j++) {
            double s = 0;
            for (int k = 0; k < m; k++) {
                s += d[k] * blockMeans[j * m + k];
            }
            p[j] = s;
            mu += s / b;
        }
        double var = 0;
        for (double v : p) {
            var += (v - mu) * (v - mu);
        }
        return var / ((double) (b - 1) * b);
    }
}
