package org.remcg.observe;

import java.util.Arrays;

/**
 * Per-frame feature vectors kept in one growable flat array, row-major (frames x features):
 * what reweighting needs, since a linear model's energy change on frame t is
 * (theta' - theta) . phi_t. Grows by doubling; memory is 8 x frames x features bytes.
 */
public final class FrameStore {
    private final int m;
    private double[] data;
    private int frames;

    public FrameStore(int features) {
        if (features < 1) {
            throw new IllegalArgumentException("need at least one feature");
        }
        this.m = features;
        this.data = new double[16 * features];
    }

    public int features() {
        return m;
    }

    public int frames() {
        return frames;
    }

    /** Appends a row (the first {@code features()} entries of {@code row}). */
    public void append(double[] row) {
        if ((long) (frames + 1) * m > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("frame store full: " + frames + " frames x " + m + " features exceed one Java array");
        }
        if ((frames + 1) * m > data.length) {
            data = Arrays.copyOf(data, (int) Math.min(Integer.MAX_VALUE - 8L, 2L * data.length));
        }
        System.arraycopy(row, 0, data, frames * m, m);
        frames++;
    }

    /** Feature k of frame t. */
    public double get(int t, int k) {
        if (t < 0 || t >= frames || k < 0 || k >= m) {
            throw new IndexOutOfBoundsException("frame " + t + " feature " + k + " of " + frames + " x " + m);
        }
        return data[t * m + k];
    }

    /** Copies row t into out. */
    public void row(int t, double[] out) {
        if (t < 0 || t >= frames) {
            throw new IndexOutOfBoundsException("frame " + t + " of " + frames);
        }
        System.arraycopy(data, t * m, out, 0, m);
    }

    /** The backing array (rows 0 .. frames() - 1 are valid; do not modify). */
    public double[] data() {
        return data;
    }

    /** A trimmed copy, frames() x features(). */
    public double[] toArray() {
        return Arrays.copyOf(data, frames * m);
    }

    public void clear() {
        frames = 0;
    }
}
