package org.remcg.testing;

/** Small array helpers for tests. */
public final class Vectors {
    private Vectors() {
    }

    /** The parts one after another in one new array. */
    public static double[] concat(double[]... parts) {
        int len = 0;
        for (double[] p : parts) {
            len += p.length;
        }
        double[] x = new double[len];
        int o = 0;
        for (double[] p : parts) {
            System.arraycopy(p, 0, x, o, p.length);
            o += p.length;
        }
        return x;
    }
}
