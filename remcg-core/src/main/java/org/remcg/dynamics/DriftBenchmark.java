package org.remcg.dynamics;

/**
 * The drift-fit workload of {@code remcg bench drift}: a mapped double-well trajectory (x1 of the
 * 2-D system at D2/D1 = 4, frames every 0.01) and a least-squares fit of its CG drift on K cubic
 * B-splines, either from the exact drift or from increments (with Richardson extrapolation).
 */
public final class DriftBenchmark {
    private DriftBenchmark() {
    }

    /** Simulates and maps {@code frames} frames (both cores, 2 replicas merged in order). */
    public static CgData data(int frames, long seed) {
        SdeSystem s = ModelSystems.doubleWell(4);
        int half = frames / 2;
        Trajectory[] tr = SdeIntegrator.ensemble(s, SdeIntegrator.Scheme.WEAK2, null, 1e-3, (long) (half - 1) * 10, 10,
                SdeIntegrator.seeds(seed, 2), true, 2);
        return CgData.map(DynamicsExamples.concat(tr), CgMap.parseAll("x1"), s.diffusion());
    }

    /** One fit with K B-splines on [-2.6, 2.6]. */
    public static DriftEstimator.Result fit(CgData data, int features, boolean increments) {
        DriftBasis b = DriftBasis.parse("bspline:" + features + ":-2.6,2.6", 1, null);
        DriftEstimator.Options o = DriftEstimator.Options.defaults();
        return increments ? DriftEstimator.fitIncrements(data, b, 0.01, 1, true, o) : DriftEstimator.fitExact(data, b, o);
    }
}
