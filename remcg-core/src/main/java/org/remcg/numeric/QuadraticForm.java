package org.remcg.numeric;

/** The quadratic form x^T A x of a dense square matrix, summed row by row: sum_i x_i (sum_j A_ij x_j). */
public final class QuadraticForm {
    private QuadraticForm() {
    }

    /** x^T A x with A n x n row-major, n = x.length. */
    public static double of(double[] a, double[] x) {
        int n = x.length;
        double s = 0;
        for (int i = 0; i < n; i++) {
            double row = 0;
            for (int j = 0; j < n; j++) {
                row += a[i * n + j] * x[j];
            }
            s += x[i] * row;
        }
        return s;
    }
}
