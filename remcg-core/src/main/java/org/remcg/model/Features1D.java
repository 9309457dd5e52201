package org.remcg.model;

/** The features of one 1-D basis, unchanged. */
final class Features1D implements Features {
    private final Basis1D basis;

    Features1D(Basis1D basis) {
        this.basis = basis;
    }

    @Override public int dimension() { return 1; }
    @Override public int size() { return basis.size(); }
    @Override public int maxNonZero() { return basis.window(); }
    @Override public String name(int i) { return basis.featureName(i); }
    @Override public boolean spansConstant() { return basis.spansConstant(); }

    @Override
    public Basis1D axis(int a) {
        if (a != 0) {
            throw new IndexOutOfBoundsException("1-D features have only axis 0");
        }
        return basis;
    }

    @Override
    public int evaluate(double x, double y, int[] idx, double[] val) {
        int off = basis.evaluate(x, val, null, null);
        int n = Math.min(basis.window(), basis.size() - off);
        for (int k = 0; k < n; k++) {
            idx[k] = off + k;
        }
        return n;
    }

    @Override
    public String toString() {
        return basis.spec();
    }
}
